import { describeBindingsFreshness } from "../../../test/support/bindings-freshness";

describeBindingsFreshness("cdktf");
