import { describeBindingsFreshness } from "../support/bindings-freshness";

describeBindingsFreshness("cdktf");
