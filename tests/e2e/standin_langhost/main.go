// Command pulumi-language-python is a STAND-IN Python language host for versionguard's
// end-to-end tests. It is a test double, never a product path.
//
// Why it exists: the real host (module .../sdk/python/cmd/pulumi-language-python/v3)
// has no tags, and the Go module proxy reachable from this project's machines refuses
// every pseudo-version of it, so it cannot be built here. This host implements just the
// LanguageRuntime calls that `pulumi preview/up [--policy-pack DIR]` make for a Python
// program and a Python policy pack, on top of the same building blocks the real host uses
// from the sdk/v3 module: the python toolchain resolver (virtualenv/pip/uv/poetry), the
// policy-pack proxy (sdk.PolicyProxy), and the pulumi-language-python-exec runner script
// shipped in that module. It is written from the protocol, not copied from the real host.
//
// Not implemented: typechecker (mypy/pyright) runs, dependency installation, program
// generation/packing/linking, debugger attach, and RunPlugin for anything but policy packs.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code the exec script uses for "an actionable error was already shown to the user".
const exitCodeUserActionable = 32

// Lists the resource plugins that installed Python packages declare in pulumi-plugin.json.
const listPluginsScript = `
import importlib.metadata as md, json
out = []
for dist in md.distributions():
    for f in dist.files or []:
        if f.name != "pulumi-plugin.json":
            continue
        try:
            data = json.loads(f.read_text())
        except Exception:
            continue
        if data.get("resource"):
            name = data.get("name") or dist.metadata["Name"].removeprefix("pulumi_").replace("_", "-")
            out.append({"name": name, "version": data.get("version") or dist.version,
                        "server": data.get("server") or ""})
print(json.dumps(out))
`

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu         sync.Mutex
	engineAddr string
	execPath   string // pulumi-language-python-exec, next to this binary
}

func main() {
	// The engine passes flags (e.g. -v=9, --logtostderr, --tracing X) and then the engine
	// address as the last positional argument; only the address matters here.
	var engineAddr string
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddr = a
		}
	}
	self, err := os.Executable()
	if err != nil {
		fatalf("locating own executable: %v", err)
	}
	self, _ = filepath.EvalSymlinks(self)
	execPath := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(execPath); err != nil {
		fatalf("missing executor %s: %v", execPath, err)
	}

	h := &host{engineAddr: engineAddr, execPath: execPath}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fatalf("starting gRPC server: %v", err)
	}
	// The engine reads our port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fatalf("gRPC server: %v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python (stand-in): "+format+"\n", args...)
	os.Exit(1)
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddr
}

// resolve builds the python toolchain from the runtime options of Pulumi.yaml / PulumiPolicy.yaml.
func resolve(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, error) {
	if info == nil {
		return nil, status.Error(codes.InvalidArgument, "missing program info")
	}
	opts := toolchain.PythonOptions{Root: info.GetRootDirectory(), ProgramDir: info.GetProgramDirectory()}
	raw := info.GetOptions().AsMap()
	if v, ok := raw["virtualenv"].(string); ok {
		opts.Virtualenv = v
	}
	switch tc, _ := raw["toolchain"].(string); strings.ToLower(tc) {
	case "":
		opts.Toolchain = toolchain.Auto
	case "pip":
		opts.Toolchain = toolchain.Pip
	case "uv":
		opts.Toolchain = toolchain.Uv
	case "poetry":
		opts.Toolchain = toolchain.Poetry
	default:
		return nil, fmt.Errorf("unsupported python toolchain %q", tc)
	}
	return toolchain.ResolveToolchain(opts)
}

func (h *host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddr = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	cmd, err := tc.Command(ctx, "-c", listPluginsScript)
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing installed pulumi packages: %w: %s", err, stderr.String())
	}
	var found []struct{ Name, Version, Server string }
	if err := json.Unmarshal(out, &found); err != nil {
		return nil, fmt.Errorf("parsing installed pulumi packages: %w", err)
	}
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, p := range found {
		resp.Packages = append(resp.Packages, &pulumirpc.PackageDependency{
			Kind: "resource", Name: p.Name, Version: "v" + strings.TrimPrefix(p.Version, "v"), Server: p.Server,
		})
	}
	return resp, nil
}

// configEnv is how the exec script (and pulumi.policy) receive the stack configuration.
func configEnv(config map[string]string, secretKeys []string) ([]string, error) {
	if config == nil {
		config = map[string]string{}
	}
	if secretKeys == nil {
		secretKeys = []string{}
	}
	cfg, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	keys, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(cfg), "PULUMI_CONFIG_SECRET_KEYS=" + string(keys)}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := []string{
		"-u", h.execPath,
		"--monitor", req.GetMonitorAddress(),
		"--engine", h.engine(),
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", req.GetPwd(),
		"--dry_run", fmt.Sprintf("%t", req.GetDryRun()),
		"--parallel", fmt.Sprintf("%d", req.GetParallel()),
		"--organization", req.GetOrganization(),
		"--root_directory", req.GetInfo().GetRootDirectory(),
		req.GetProgram(),
	}
	args = append(args, req.GetArgs()...)
	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return nil, err
	}
	extra, err := configEnv(req.GetConfig(), req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, extra...)
	cmd.Dir = req.GetPwd()
	// Program output goes to our stdout/stderr, which the engine shows to the user.
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeUserActionable:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program: %v", err)}, nil
	}
}

// streamWriter forwards a child's output to the engine as RunPlugin messages.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	buf := append([]byte(nil), p...)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.send(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// RunPlugin starts a Python policy pack behind the sdk's policy proxy: the proxy answers
// Handshake/ConfigureStack itself, then we start `python -m pulumi.policy` with the stack
// settings in its environment (the contract pulumi_policy expects) and relay everything else.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	if req.GetKind() != "analyzer" {
		return status.Errorf(codes.Unimplemented, "stand-in python host only runs policy packs, not %q plugins",
			req.GetKind())
	}
	ctx := server.Context()
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return err
	}
	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}

	proxy, packStdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return err
	}
	// Prints the proxy's port (for the engine), then waits for ConfigureStack.
	stackCfg, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return err
	}

	packDir := req.GetInfo().GetProgramDirectory()
	args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
	args = append(args, packDir)
	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return err
	}
	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	if venv, verr := tc.VirtualEnvPath(ctx); verr == nil && venv != "" {
		env = toolchain.ActivateVirtualEnv(env, venv)
	}
	if stackCfg != nil {
		extra, err := configEnv(stackCfg.GetConfig(), stackCfg.GetConfigSecretKeys())
		if err != nil {
			return err
		}
		env = append(env, extra...)
		env = append(env,
			"PULUMI_PROJECT="+stackCfg.GetProject(),
			"PULUMI_STACK="+stackCfg.GetStack(),
			"PULUMI_ORGANIZATION="+stackCfg.GetOrganization(),
			fmt.Sprintf("PULUMI_DRY_RUN=%t", stackCfg.GetDryRun()),
		)
	}
	cmd.Env = env
	cmd.Dir = packDir
	cmd.Stdout = packStdout
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting policy pack: %w", err)
	}

	// Attach reads the pack's port, connects, forwards ConfigureStack and blocks until exit.
	attachErr := proxy.Attach(ctx, cmd)
	code := int32(0)
	if cmd.ProcessState != nil {
		code = int32(cmd.ProcessState.ExitCode())
	} else if attachErr != nil {
		_, _ = io.WriteString(stderr, attachErr.Error()+"\n")
		return attachErr
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	// Dependencies come from the repo's own venv, which the project installs itself.
	return nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	info, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: info.PythonExecutable,
		Version:    info.PythonVersion.String(),
		Metadata:   map[string]string{"languageHost": "versionguard stand-in"},
	}, nil
}

func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, err := resolve(req.GetInfo())
	if err != nil {
		return nil, err
	}
	pkgs, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, p := range pkgs {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return resp, nil
}
