import { App } from "cdktf";
import { AccessStack } from "./access-stack";
import { ACME_MEMBERS, ACME_ORGANIZATION } from "./tenant";

// The app `cdktf synth` / `cdktf deploy` run (see cdktf.json at the repository root).
const app = new App();
new AccessStack(app, "acme-access", { organizationId: ACME_ORGANIZATION, members: ACME_MEMBERS });
app.synth();
