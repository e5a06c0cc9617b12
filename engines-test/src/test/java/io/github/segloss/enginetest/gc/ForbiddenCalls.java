package io.github.segloss.enginetest.gc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/** Calls that {@link ScalarOperandRuleTest} must find, in this order; never run. */
final class ForbiddenCalls {

    private ForbiddenCalls() {}

    static NDArray all(NDManager manager, NDArray x) {
        NDArray a = x.mul(0.4f);
        NDArray b = NDArrays.div(a, 2);
        NDArray c = manager.create(new float[] {1, 2});
        NDArray allowed = x.gt(0).toType(x.getDataType(), false).add(c.clip(0, 1));
        return b.maximum(1e-6f).add(allowed);
    }
}
