package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.segloss.example.data.Instance;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.model.MaskRcnnHead;
import io.github.segloss.target.BilinearResize;
import java.io.IOException;
import java.util.List;

/**
 * A mask-task checkpoint (the built-in {@link MaskRcnnHead}) loaded once for inference: the one
 * code path of {@code predict} ({@link MaskPrediction}) and {@code evaluate} with a mask
 * checkpoint.
 *
 * <p>The head has no detector: {@link #predict} takes each instance's box and class from the
 * sample's annotations (the ground truth's), shows the head the image resized to its training size
 * with the boxes scaled with it, and pastes each instance's mask at the image's own size ({@link
 * PastedInstances}: threshold 0.5, score the mean mask probability over its predicted pixels).
 *
 * <p>Thread-safe: concurrent calls run in parallel on PyTorch; on MXNet, whose engine is not safe
 * for concurrent calls, one at a time.
 */
public final class MaskModel implements AutoCloseable {

    private final NDManager manager;
    private final MaskRcnnHead net;
    private final ParameterStore store;
    private final int size;
    private final List<String> classes;
    private final boolean serial;

    private MaskModel(
            NDManager manager, MaskRcnnHead net, int size, List<String> classes, String engine) {
        this.manager = manager;
        this.net = net;
        this.store = new ParameterStore(manager, false);
        this.size = size;
        this.classes = classes;
        this.serial = !"PyTorch".equals(engine);
    }

    /**
     * Loads a mask checkpoint.
     *
     * @param checkpoint the opened checkpoint, of a MaskRcnnHead
     * @param engine "PyTorch" or "MXNet"
     * @return the model
     * @throws IllegalArgumentException if the checkpoint lacks parameters
     * @throws IOException if it cannot be read
     */
    public static MaskModel load(CheckpointModel checkpoint, String engine) throws IOException {
        int size = checkpoint.modelInt("imageSize");
        NDManager manager = NDManager.newBaseManager(Device.cpu(), engine);
        try {
            MaskRcnnHead net =
                    checkpoint.load(
                            new MaskRcnnHead(
                                    checkpoint.modelInt("maskClasses"),
                                    checkpoint.modelInt("width")),
                            manager,
                            new Shape(1, 3, size, size),
                            new Shape(1, 4),
                            new Shape(1));
            return new MaskModel(manager, net, size, checkpoint.classes(), engine);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the checkpoint's class names, the background first.
     *
     * @return the names
     */
    public List<String> classes() {
        return classes;
    }

    /** Receives the predicted instances of an image one at a time. */
    @FunctionalInterface
    public interface InstanceConsumer {

        /**
         * Receives one instance.
         *
         * @param index the instance's index r in the sample's annotations
         * @param mask its predicted mask, H·W pixels row-major at the image's size
         * @param score its score, the mean mask probability over its predicted pixels
         */
        void accept(int index, boolean[] mask, double score);
    }

    /**
     * Predicts the mask of each annotated instance of a sample, one at a time (one mask in memory).
     *
     * @param sample the image and its instances (boxes and classes from the annotations)
     * @param consumer receives each instance's mask and score, in the annotations' order
     */
    public void predict(Sample sample, InstanceConsumer consumer) {
        if (sample.instances().isEmpty()) {
            return;
        }
        if (serial) {
            synchronized (this) {
                predictInstances(sample, consumer);
            }
        } else {
            predictInstances(sample, consumer);
        }
    }

    private void predictInstances(Sample sample, InstanceConsumer consumer) {
        int height = sample.height();
        int width = sample.width();
        List<Instance> instances = sample.instances();
        int rois = instances.size();
        float[] boxes = new float[4 * rois];
        float[] scaled = new float[4 * rois];
        int[] classIds = new int[rois];
        float sx = (float) size / width;
        float sy = (float) size / height;
        for (int r = 0; r < rois; r++) {
            Instance instance = instances.get(r);
            System.arraycopy(instance.box(), 0, boxes, 4 * r, 4);
            for (int c = 0; c < 4; c++) {
                scaled[4 * r + c] = instance.box()[c] * (c % 2 == 0 ? sx : sy);
            }
            classIds[r] = instance.classIndex() - 1;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray image = scope.create(sample.image(), new Shape(1, 3, height, width));
            NDArray resized = BilinearResize.resize(image, size, size, false);
            if (resized != image) {
                // resize returns the image itself when it already has the model's size
                image.close();
            }
            NDList input =
                    new NDList(
                            resized,
                            scope.create(scaled, new Shape(rois, 4)),
                            scope.zeros(new Shape(rois), DataType.INT32));
            NDArray logits = net.forward(store, input, false).head();
            NDArray channels = scope.create(classIds, new Shape(rois));
            PastedInstances.forEach(
                    logits,
                    scope.create(boxes, new Shape(rois, 4)),
                    logits.getShape().get(1) == 1 ? null : channels,
                    height,
                    width,
                    consumer::accept);
        }
    }

    /** Frees the model's arrays. */
    @Override
    public void close() {
        manager.close();
    }
}
