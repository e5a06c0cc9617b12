package io.github.segloss.spark;

import io.github.segloss.example.data.ImageFiles;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A folder or URI of images on a Hadoop file system (a local path, {@code file:}, {@code hdfs:},
 * {@code s3a:}...): listed on the driver, read on the executors. The file system settings are the
 * job's {@code spark.hadoop.*} options, shipped with this object.
 */
final class HadoopImages implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private final String root;
    private final Map<String, String> settings;

    /**
     * Creates the reader of a folder.
     *
     * @param root the folder, a path or URI
     * @param settings Hadoop settings (the {@code spark.hadoop.*} options without the prefix)
     */
    HadoopImages(String root, Map<String, String> settings) {
        this.root = root;
        this.settings = Map.copyOf(settings);
    }

    private Configuration configuration() {
        Configuration configuration = new Configuration();
        settings.forEach(configuration::set);
        return configuration;
    }

    /**
     * Lists the images under the folder, at any depth: PNG and JPEG files by their extension,
     * hidden files and folders (a name starting with '.' or '_') left out.
     *
     * @return the images' qualified URIs, sorted
     * @throws IllegalArgumentException naming the folder if it is missing, no folder, or has no
     *     image
     * @throws IOException if it cannot be listed
     */
    List<String> list() throws IOException {
        Path folder = new Path(root);
        FileSystem fs;
        try {
            fs = folder.getFileSystem(configuration());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "--data " + root + ": no file system for it (" + e.getMessage() + ")", e);
        }
        if (!fs.exists(folder) || !fs.getFileStatus(folder).isDirectory()) {
            throw new IllegalArgumentException("--data " + root + ": no such folder of images");
        }
        String base = fs.makeQualified(folder).toString();
        List<String> images = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(folder, true);
        while (files.hasNext()) {
            String path = files.next().getPath().toString();
            String relative = path.substring(Math.min(path.length(), base.length()));
            if (isImage(relative)) {
                images.add(path);
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(
                    "--data " + root + ": no PNG or JPEG image in the folder");
        }
        images.sort(null);
        return images;
    }

    private static boolean isImage(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return false;
            }
        }
        String name = relative.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * The id of an image: its path below the folder, without the extension, '/' as '_'.
     *
     * @param uri an image's URI from {@link #list}
     * @return the id
     */
    String id(String uri) throws IOException {
        Path folder = new Path(root);
        String base = fs(folder).makeQualified(folder).toString();
        String relative = uri.startsWith(base) ? uri.substring(base.length()) : uri;
        relative = relative.replaceFirst("^/+", "");
        int dot = relative.lastIndexOf('.');
        return (dot > 0 ? relative.substring(0, dot) : relative).replace('/', '_');
    }

    private FileSystem fs(Path path) throws IOException {
        return path.getFileSystem(configuration());
    }

    /**
     * Reads one image, with the checks of segloss-train's images (empty, truncated, corrupt, over
     * the pixel limit); a file of another file system is copied to a local temporary file first.
     *
     * @param uri the image's URI
     * @param maxPixels the largest width × height decoded
     * @return the image
     * @throws IllegalArgumentException naming the URI and the problem if it cannot be read
     */
    ImageFiles.Rgb read(String uri, long maxPixels) {
        Path path = new Path(uri);
        try {
            FileSystem fs = fs(path);
            if ("file".equals(fs.getScheme())) {
                return ImageFiles.readRgb(java.nio.file.Path.of(path.toUri()), maxPixels);
            }
            java.nio.file.Path local = Files.createTempFile("segloss-image", ".img");
            try {
                fs.copyToLocalFile(false, path, new Path(local.toUri()), true);
                return ImageFiles.readRgb(local, maxPixels);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        uri + ": " + e.getMessage().replace(local.toString() + ": ", ""), e);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(uri + ": cannot read image: " + e.getMessage(), e);
        }
    }
}
