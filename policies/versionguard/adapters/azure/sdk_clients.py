"""Live Azure data through the Azure SDK: Resource Graph rows, each account's deployments (ARM
Deployments - List) and Models-List items.

The SDK is the optional extra ``versionguard[azure]`` (azure-identity, azure-mgmt-resourcegraph,
azure-mgmt-cognitiveservices), imported only here and only when a live command runs: without it the
command stops with :data:`MISSING_EXTRA` (exit 2). Credentials come only from azure-identity
(``DefaultAzureCredential``: environment variables, workload identity, managed identity, the Azure
CLI's login, …); versionguard reads and writes no credential file. Every request goes through the
SDK's pipeline: its retry policy retries 429 and 5xx answers, honouring ``Retry-After``.

SDK errors become :class:`InputError` (exit 2) naming the endpoint, the operation and what Azure said.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from versionguard.adapters.azure.resource_graph import Account, GraphPage
from versionguard.core.errors import InputError

PUBLIC_ARM = "https://management.azure.com"
MISSING_EXTRA = ("the Azure libraries (the versionguard[azure] extra: azure-identity, azure-mgmt-resourcegraph, "
                 "azure-mgmt-cognitiveservices); install them with: pip install 'versionguard[azure]'")
# A Resource Graph page holds at most 1,000 rows.
PAGE_SIZE = 1000
# azure-core's RetryPolicy, per client: 429 and 5xx answers (and dropped connections) are retried, waiting
# what Retry-After says when the answer has one, else an exponential backoff capped at retry_backoff_max.
RETRY = {"retry_total": 6, "retry_backoff_factor": 0.8, "retry_backoff_max": 60}
DEFAULT_CONCURRENCY = 8  # accounts listed at once; ARM's read limits are per subscription and principal
MAX_CONCURRENCY = 64
_SUBSCRIPTIONS_QUERY = ("resourcecontainers | where type =~ 'microsoft.resources/subscriptions' "
                        "| project subscriptionId | order by subscriptionId asc")


@dataclass(frozen=True)
class Endpoint:
    """An ARM endpoint and the token scope its credential needs (the public cloud by default)."""

    url: str
    scopes: tuple[str, ...]

    @classmethod
    def of(cls, url: str | None) -> Endpoint:
        """``--arm-endpoint``: a known cloud's endpoint gets that cloud's audience (Azure Government's
        differs from its URL); any other gets ``<url>/.default``."""
        base = (url or PUBLIC_ARM).strip().rstrip("/")
        if not base.startswith("https://") or len(base) <= len("https://"):
            raise InputError("--arm-endpoint", "--arm-endpoint", "an https:// URL of Azure Resource Manager", url)
        known = {"https://management.usgovcloudapi.net": "https://management.core.usgovcloudapi.net/.default"}
        return cls(base, (known.get(base.casefold(), f"{base}/.default"),))


def default_credential() -> Any:
    """azure-identity's ``DefaultAzureCredential``: the only way versionguard gets a token."""
    with sdk("sign-in"):
        from azure.identity import DefaultAzureCredential

        return DefaultAzureCredential()


@contextmanager
def sdk(operation: str, endpoint: Endpoint | None = None) -> Iterator[None]:
    """Map what the SDK raises to an :class:`InputError` naming the endpoint and operation."""
    where = f"Azure ({endpoint.url})" if endpoint else "Azure"
    try:
        yield
    except ImportError as exc:
        if not (exc.name or "").startswith("azure"):
            raise
        raise InputError(where, operation, MISSING_EXTRA, f"cannot import {exc.name}") from None
    except InputError:
        raise
    except Exception as exc:  # the SDK's errors, mapped below; anything else is a bug and propagates
        from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError

        if isinstance(exc, ClientAuthenticationError):
            raise InputError(where, operation, "a credential that signs in (DefaultAzureCredential: az login, "
                             "AZURE_* environment variables, workload or managed identity) and may read this",
                             _said(exc)) from None
        if isinstance(exc, HttpResponseError) and exc.status_code is not None:
            raise InputError(where, operation, "a successful answer", f"HTTP {exc.status_code}: {_said(exc)}") from None
        if isinstance(exc, AzureError):
            raise InputError(where, operation, "an answer from Azure", _said(exc)) from None
        raise


def _said(exc: Exception) -> str:
    """The first line of the SDK's message (the rest is headers and JSON)."""
    text = str(getattr(exc, "message", None) or exc).strip()
    return text.splitlines()[0][:500] if text else type(exc).__name__


def _graph_client(credential: Any, endpoint: Endpoint) -> Any:
    from azure.mgmt.resourcegraph import ResourceGraphClient

    return ResourceGraphClient(credential, base_url=endpoint.url, credential_scopes=list(endpoint.scopes), **RETRY)


def graph_pages(query: str, credential: Any, endpoint: Endpoint, subscriptions: Sequence[str] = (),
                management_groups: Sequence[str] = ()) -> Iterator[GraphPage]:
    """Every page of a Resource Graph query (objectArray rows), following the skip token until Azure
    returns none. Without subscriptions or management groups the query covers every subscription the
    credential can read."""
    with sdk("Resource Graph query", endpoint):
        from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

        client = _graph_client(credential, endpoint)
        token: str | None = None
        seen: set[str] = set()
        number = 0
        while True:
            number += 1
            request = QueryRequest(query=query, subscriptions=list(subscriptions) or None,
                                   management_groups=list(management_groups) or None,
                                   options=QueryRequestOptions(skip_token=token, top=PAGE_SIZE,
                                                               result_format="objectArray"))
            response = client.resources(request)
            if not isinstance(response.data, list):
                raise InputError(f"Azure ({endpoint.url})", f"Resource Graph page {number}: data",
                                 "a list of row objects", type(response.data).__name__)
            yield GraphPage(response.data, response.total_records, response.skip_token or None, number=number)
            token = response.skip_token
            if not token:
                return
            if token in seen:  # a service that hands back the same token would page forever
                raise InputError(f"Azure ({endpoint.url})", f"Resource Graph page {number}: $skipToken",
                                 "a new skip token per page", "the token of an earlier page")
            seen.add(token)


def first_subscription(credential: Any, endpoint: Endpoint) -> str:
    """The first subscription (by id) the credential can read, for calls that need one."""
    for page in graph_pages(_SUBSCRIPTIONS_QUERY, credential, endpoint):
        for row in page.rows:
            sub = row.get("subscriptionId") if isinstance(row, dict) else None
            if isinstance(sub, str) and sub:
                return sub
    raise InputError(f"Azure ({endpoint.url})", "subscriptions", "at least one subscription the credential can "
                     "read (or pass --subscription)", "none")


def location_models(location: str, subscription: str, credential: Any, endpoint: Endpoint,
                    on_page: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    """Models-List of one region (every page), each item in the REST shape (``{kind, skuName, model}``,
    camelCase) that ``catalog import`` reads from files."""
    with sdk(f"Models - List in {location}", endpoint):
        from azure.mgmt.cognitiveservices import CognitiveServicesManagementClient

        client = CognitiveServicesManagementClient(credential, subscription, base_url=endpoint.url,
                                                   credential_scopes=list(endpoint.scopes), **RETRY)
        items = []
        for page in client.models.list(location).by_page():
            items += [item.serialize(keep_readonly=True) for item in page]
            if on_page is not None:
                on_page(len(items))
        return items


# --- deployments per account (ARM) ---------------------------------------------------------------

@dataclass(frozen=True)
class Unlisted:
    """Why an account's deployments could not be listed: Azure's error code (or what failed) and message."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.message else self.code


Listed = tuple[Account, "list[dict[str, Any]] | Unlisted"]


def account_deployments(accounts: Sequence[Account], credential: Any, endpoint: Endpoint,
                        concurrency: int = DEFAULT_CONCURRENCY) -> Iterator[Listed]:
    """Each account's deployments (every nextLink page, items in the REST shape, camelCase), at most
    ``concurrency`` accounts at a time, yielded as each finishes. An account that cannot be listed (403,
    404, throttled past the retries, a network error, an answer the SDK cannot read) yields
    :class:`Unlisted` with Azure's error code; the others go on."""
    if not accounts:
        return
    with sdk("ARM Deployments - List", endpoint):
        from azure.mgmt.cognitiveservices import CognitiveServicesManagementClient

        clients: dict[str, Any] = {}
        lock = threading.Lock()

        def client_for(subscription: str) -> Any:
            with lock:  # one client (one connection pool) per subscription, shared by the workers
                if subscription not in clients:
                    clients[subscription] = CognitiveServicesManagementClient(
                        credential, subscription, base_url=endpoint.url, credential_scopes=list(endpoint.scopes),
                        connection_pool_maxsize=max(10, concurrency), **RETRY)
                return clients[subscription]

        def one(account: Account) -> list[dict[str, Any]] | Unlisted:
            try:
                pages = client_for(account.subscription).deployments.list(account.resource_group, account.name)
                return [item.serialize(keep_readonly=True) for item in pages]
            except Exception as exc:  # every failure of one account is named; the others go on
                return unlisted(exc)

        pool = ThreadPoolExecutor(max_workers=max(1, min(concurrency, MAX_CONCURRENCY, len(accounts))))
        try:
            futures = {pool.submit(one, account): account for account in accounts}
            for future in as_completed(futures):
                yield futures[future], future.result()
        finally:  # a caller that stops early (bad data from one account) leaves no queued request behind
            pool.shutdown(wait=True, cancel_futures=True)


def unlisted(exc: Exception) -> Unlisted:
    """Azure's error code and message for a failed list, or what kind of failure it was."""
    from azure.core.exceptions import (
        DecodeError,
        DeserializationError,
        HttpResponseError,
        ServiceRequestError,
        ServiceResponseError,
    )

    if isinstance(exc, (DecodeError, DeserializationError)):  # before HttpResponseError: DecodeError is one
        return Unlisted("unreadable answer", _said(exc))
    if isinstance(exc, HttpResponseError) and exc.status_code is not None:
        error = getattr(exc, "error", None)
        code = getattr(error, "code", None) or exc.reason or "error"
        message = getattr(error, "message", None) or _said(exc)
        return Unlisted(f"HTTP {exc.status_code} {code}", _first_line(message))
    if isinstance(exc, (ServiceRequestError, ServiceResponseError)):
        return Unlisted("network error", _said(exc))
    from azure.core.exceptions import AzureError

    if isinstance(exc, AzureError):
        return Unlisted(type(exc).__name__, _said(exc))
    raise exc  # anything else is a bug, and propagates


def _first_line(text: str) -> str:
    text = str(text).strip()
    return text.splitlines()[0][:500] if text else ""
