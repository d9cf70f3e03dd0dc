import { serveProvider } from "./serve";

// Requiring this module starts the provider: it is what the executable Terraform runs points at.
serveProvider().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `terraform-provider-auth0roles: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
