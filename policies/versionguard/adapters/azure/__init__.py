"""Azure data: ARM JSON, Resource Graph and Models-List documents, and the live SDK clients."""
