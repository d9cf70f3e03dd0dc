import { describeBindingsFreshness } from "../support/bindings-freshness";

describeBindingsFreshness("cdktn");
