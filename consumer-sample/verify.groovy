// Checks what the consumer sample computed on each engine (target/ENGINE/segloss-values-ENGINE.properties)
// and what the library published into the invoker's local repository. Variables from
// maven-invoker-plugin: basedir (this sample's copy), localRepositoryPath, and from plugin/pom.xml
// seglossVersion and torchscriptReference (training-example's tiny-segnet-train-mode.json).
import groovy.json.JsonSlurper
import java.util.zip.ZipFile

def failures = []
def check = { boolean ok, String message -> if (!ok) failures << message }

def values = { String engine ->
    def file = new File(basedir, "target/${engine}/segloss-values-${engine}.properties")
    check(file.isFile(), "the ${engine} run wrote no ${file}")
    def props = new Properties()
    if (file.isFile()) file.withInputStream { props.load(it) }
    props.collectEntries { k, v -> [(k): v as double] }
}
def pt = values('PyTorch')
def mx = values('MXNet')

[PyTorch: pt, MXNet: mx].each { engine, map ->
    map.each { k, v -> check(!v.isNaN() && !v.isInfinite(), "${engine} ${k} = ${v} is not finite") }
    ['crossEntropy', 'maskLoss'].each { check(map.containsKey(it), "${engine} computed no ${it}") }
}
// The engine-agnostic snippets give the same numbers on both engines (float32 rounding).
['crossEntropy', 'maskLoss'].each { k ->
    if (pt[k] != null && mx[k] != null) {
        double tol = 1e-5 + 1e-4 * Math.abs(pt[k])
        check(Math.abs(pt[k] - mx[k]) <= tol,
                "${k}: PyTorch ${pt[k]} vs MXNet ${mx[k]} (tolerance ${tol})")
        check(pt[k] > 0, "${k} = ${pt[k]}, expected a positive loss")
    }
}
// The PSPNet snippet trains on each engine: 3 epochs, one validation batch each, the validation
// loss falls; its log shows each head (trainer.setMetrics and an SLF4J provider), and the per-class
// IoU of the last epoch survives fit's reset of the epoch's values.
[PyTorch: pt, MXNet: mx].each { engine, map ->
    check(map.pspnetValidationBatches == 3d,
            "${engine} PSPNet snippet: ${map.pspnetValidationBatches} validation batches, expected 3")
    check(map.pspnetLastValidationLoss < map.pspnetFirstValidationLoss,
            "${engine} PSPNet snippet: validation loss ${map.pspnetFirstValidationLoss} after epoch 1, "
                    + "${map.pspnetLastValidationLoss} after epoch 3: it did not fall")
    check(map.pspnetLogShowsHeads == 1d,
            "${engine} PSPNet snippet: DJL's training log does not show main, aux and PSPNetLoss")
    check(map.pspnetLastEpochClasses == 3d,
            "${engine} PSPNet snippet: ${map.pspnetLastEpochClasses} per-class IoUs, expected 3")
    (0..2).each { c ->
        def iou = map["pspnetLastEpochIoU${c}"]
        check(iou != null && iou >= 0 && iou <= 1,
                "${engine} PSPNet snippet: last-epoch IoU of class ${c} is ${iou}")
    }
}
// The TorchScript snippet trains in training mode from the first batch: PyTorch's model.train()
// loss, not its model.eval() loss.
def reference = new JsonSlurper().parse(new File(torchscriptReference))
def ts = pt.torchscriptFirstTrainingLoss
check(ts != null && Math.abs(ts - reference.trainLoss) <= 1e-5,
        "TorchScript snippet: first training loss ${ts}, PyTorch's model.train() gives "
                + "${reference.trainLoss} (model.eval(): ${reference.evalLoss})")

// What a user downloads: the jar (a JPMS module), its sources and its Javadoc (MathJax, no internal).
def dir = new File(localRepositoryPath, "io/github/segloss/segloss/${seglossVersion}")
['', '-sources', '-javadoc'].each { suffix ->
    def jar = new File(dir, "segloss-${seglossVersion}${suffix}.jar")
    check(jar.isFile(), "${jar.name} was not installed in ${dir}")
}
def javadoc = new File(dir, "segloss-${seglossVersion}-javadoc.jar")
if (javadoc.isFile()) {
    new ZipFile(javadoc).withCloseable { zip ->
        def names = zip.entries().collect { it.name }
        check(!names.any { it.contains('/internal/') }, "the Javadoc documents io.github.segloss.internal")
        def page = names.find { it.endsWith('io/github/segloss/loss/PixelCrossEntropyLoss.html') }
        check(page != null, "the Javadoc has no PixelCrossEntropyLoss page")
        if (page != null) {
            def html = zip.getInputStream(zip.getEntry(page)).text
            check(html.contains('id="MathJax-script"'), "PixelCrossEntropyLoss.html does not load MathJax")
            check(html.contains('\\('), "PixelCrossEntropyLoss.html has no \\( formula for MathJax")
        }
    }
}
new ZipFile(new File(dir, "segloss-${seglossVersion}.jar")).withCloseable { zip ->
    check(zip.getEntry('module-info.class') != null, "the jar is not a JPMS module (no module-info.class)")
}

if (failures) {
    throw new AssertionError("consumer sample:\n  " + failures.join("\n  "))
}
println "consumer sample: PyTorch ${pt}"
println "consumer sample: MXNet ${mx}"
return true
