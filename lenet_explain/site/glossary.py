"""The site's glossary: every term the pages use, with the lecture's Chinese term beside it.

Each :class:`Term` says whether its Chinese term is the lecture's own (``in_lecture``; a test checks each of
them against the lecture's text when it is available) or the usual Chinese term for a word the lecture does not
use. Pages link to an entry with the ``term(id, text)`` macro, which fails the build on an unknown id.
"""

from __future__ import annotations

from dataclasses import dataclass

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.stacks import LECTURE, LECTURE32
from lenet_explain.site.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from lenet_explain.site.train_data import ADAM
from lenet_explain.walkthrough.images import BOX, FIELD
from lenet_explain.walkthrough.lecture import LECTURE_BATCH_SIZE, PAPER_YEAR
from lenet_explain.walkthrough.training import LOSS, OPTIMIZER


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    id: str  # the anchor on the glossary page
    english: str
    chinese: str  # the lecture's term, or the usual one when ``in_lecture`` is False
    in_lecture: bool
    definition: str  # Markdown
    section: str


PIXEL_MAX = 255  # the largest value of an 8-bit pixel (numpy.iinfo(numpy.uint8).max)


def receptive_field_example() -> str:
    """Return how the receptive field grows over LeNet-5's first three layers, from the calculator."""
    c1, s2, c3 = summarize(LECTURE).rows[:3]
    kernel = LECTURE.layers[0].kernel_size[0]  # type: ignore[attr-defined]
    rf = [row.receptive_field[0] for row in (c1, s2, c3) if row.receptive_field is not None]
    return (f"a {kernel}×{kernel} convolution on the picture sees {rf[0]} pixels, the pooling after it {rf[1]}, "
            f"the next convolution {rf[2]}, and so on")


def channels_first_example() -> str:
    """Return C1's output shape in the lecture table's order, channels first: '6×28×28'."""
    height, width, channels = summarize(LECTURE32).rows[0].output_shape
    return f"{channels}×{height}×{width}"


def adam_defaults() -> dict[str, str]:
    """Return Keras' defaults for ``optimizer='adam'`` as the glossary prints them."""
    return {name: f"{value:g}" for name, value in ADAM.items()}


SECTIONS = ("Pictures and features", "Layers", "Sizes and counts", "Training and testing")

TERMS: tuple[Term, ...] = (
    Term("feature", "feature, filter, kernel", "卷积核", True,
         "A small grid of weights that a convolution slides over its input. In the X-and-O example a feature "
         "is a small pattern of +1 and −1 drawn by hand; in a trained network the kernels are learned. The "
         "lecture's word is 卷积核 (convolution kernel).", SECTIONS[0]),
    Term("feature-map", "feature map", "特征图", False,
         "What a convolution outputs for one kernel: at every position, how well the kernel matches the input "
         "there. One map per kernel; together they are the layer's output channels.", SECTIONS[0]),
    Term("channel", "channel", "通道", False,
         "One of the stacked maps of an image or a layer's output: a grey picture has one, a colour picture "
         "one per colour (red, green, blue), a convolution layer's output one per kernel. Shapes on this site are "
         "height×width×channels, as Keras writes them; the lecture's table writes channels first (C1's output: "
         f"{channels_first_example()}).",
         SECTIONS[0]),
    Term("normalization", "normalization (of the pixels)", "归一化", True,
         f"In the lecture, 归一化 means one thing: dividing the pixel values by {PIXEL_MAX} so that they lie "
         f"between 0 and 1 (<code>train_images / {PIXEL_MAX}</code>). It is not the name of an activation "
         "function.", SECTIONS[0]),
    Term("convolution", "convolution, convolution layer", "卷积、卷积层", True,
         "Sliding a kernel over the input and, at every position, adding up the products of the kernel's "
         "weights and the values under it (plus a bias). A convolution layer does this with many kernels. "
         "LeNet-5's convolution layers are C1, C3 and C5.", SECTIONS[1]),
    Term("pooling", "pooling, pooling layer", "池化、池化层", True,
         "Shrinking each map by keeping one number per window: the largest (max pooling) or the mean (average "
         "pooling). No weights to learn. LeNet-5's pooling layers are S2 and S4.", SECTIONS[1]),
    Term("subsampling", "subsampling", "下采样", False,
         f"The {PAPER_YEAR} paper's name for its pooling layers (the S in S2 and S4): each output adds up a "
         "small window of its input, multiplies the sum by a trainable coefficient and adds a trainable bias; "
         "the lecture's Keras model averages the window instead. The lecture calls them 池化层 (pooling "
         "layers); Adam Harley's visualizer, “downsampling layers”.", SECTIONS[1]),
    Term("activation", "activation function", "激活函数", False,
         "The function a layer applies to every value it computes: ReLU (negatives become 0), the sigmoid "
         "(squeezes every value into 0…1), softmax (turns the last layer's scores into probabilities). The "
         "lecture's Keras model uses the sigmoid and, in its last layer, softmax.", SECTIONS[1]),
    Term("fully-connected", "fully connected layer, dense layer", "全连接层", True,
         "A layer in which every output is a weighted sum of every input, plus a bias (Keras: "
         "<code>Dense</code>). The lecture's table calls C5, F6 and the output layer 全连接层1, 全连接层2 "
         "and 输出层.", SECTIONS[1]),
    Term("neuron", "neuron, unit", "神经元", True,
         "One output of a layer: one value of a feature map, or one output of a fully connected layer.",
         SECTIONS[1]),
    Term("input-layer", "input layer, output layer", "输入层、输出层", True,
         "The first and the last layer of the lecture's table: the picture, and the scores, one per digit.",
         SECTIONS[1]),
    Term("stride", "stride", "步长", True,
         "How far a window jumps at each step. Stride 1 visits every position; stride 2 every other one, "
         "roughly halving the output.", SECTIONS[2]),
    Term("padding", "padding", "加边", True,
         "Zeros added around the input before a convolution. The lecture's formula counts the padding pixels of "
         "both sides together (加边像素数). Keras' <code>padding='valid'</code> adds none — the lecture "
         "writes “'valid' (丢弃)”, discard, since a window that does not fit is dropped — and "
         "<code>padding='same'</code> adds enough to keep the size at stride 1.", SECTIONS[2]),
    Term("output-size", "output size", "卷积后尺寸", True,
         "The height (or width) after a convolution or pooling layer: (input − kernel + padding) / stride + 1, "
         "rounded down when the division is not exact.", SECTIONS[2]),
    Term("dilation", "dilation rate, dilated convolution", "扩张率、空洞卷积", False,
         "Spreading a kernel's weights apart, which makes a dilated convolution: with dilation rate $d$ a kernel of "
         "size $k$ covers $d(k - 1) + 1$ pixels.",
         SECTIONS[2]),
    Term("parameters", "parameters, trainable parameters", "训练参数", True,
         "The numbers a network learns: every weight and every bias. A convolution layer has (channels × kernel "
         "height × kernel width + 1) × kernels; a fully connected layer inputs × outputs + outputs; pooling none.",
         SECTIONS[2]),
    Term("bias", "bias", "偏置项", True,
         "The number a kernel or a neuron adds to its weighted sum; one per kernel or neuron.", SECTIONS[2]),
    Term("kernel-depth", "kernel depth, number of kernels", "卷积核维度、卷积核个数", True,
         "A kernel always reaches through all the channels of its input (its depth is set by the input); the "
         "number of kernels is chosen, and sets the number of output channels. The lecture asks to tell the two "
         "apart (卷积核维度 & 卷积核个数区分).", SECTIONS[2]),
    Term("mac", "multiply-accumulate (MAC)", "乘加", False,
         "One multiplication added to a running sum: the unit in which this site counts a layer's work for one "
         "image.", SECTIONS[2]),
    Term("receptive-field", "receptive field (RF)", "感受野", False,
         "How many input pixels, along one side, can influence one value of a layer: "
         + receptive_field_example() + ". The calculator's column RF; “all” once a fully connected layer has "
         "mixed every input. [See it grow](pooling.md#receptive-field), layer by layer, and pick a unit to see its "
         "field on a digit.", SECTIONS[2]),
    Term("one-hot", "one-hot labels", "独热编码", False,
         "A label written as 0/1 values, one per digit, with a single 1 at the digit's place (the lecture makes "
         "them with <code>pd.get_dummies</code>).", SECTIONS[3]),
    Term("epoch", "epoch, batch", "轮、批量", False,
         "An epoch is one pass over all the training images; a batch, the images whose errors are averaged for "
         f"one step of the optimizer (Keras' default: {LECTURE_BATCH_SIZE}).", SECTIONS[3]),
    Term("validation", "validation data, test set", "验证数据、测试集", False,
         "Images the network is not trained on, measured after every epoch. The lecture passes its test set as "
         "<code>validation_data</code>, so its val_acc is the test accuracy; the walkthrough does the same to "
         "compare with it.", SECTIONS[3]),
    Term("preprocessing", "reading and preprocessing a picture", "图片读取、图片大小调整、维度改变", True,
         f"The lecture's steps before predicting: read the picture in grey (图片读取), resize it to "
         f"{FIELD}×{FIELD} (图片大小调整), reshape it for the network (维度改变 reshape), divide by {PIXEL_MAX} "
         f"(归一化). The MNIST-style path also inverts a light background, crops to the ink, scales it into a "
         f"{BOX}×{BOX} box and centres it.", SECTIONS[3]),
    Term("save-load", "save, load and predict", "保存模型、调用模型、模型载入&预测", True,
         "Writing a trained model to a file, reading it back (the lecture's 调用模型, calling the model up) and "
         "using it to name new pictures.", SECTIONS[3]),
    Term("backpropagation", "back-propagation", "反向传播算法", True,
         "The algorithm that works out, for every weight, which small change reduces the error; training "
         "repeats such changes batch after batch.", SECTIONS[3]),
    Term("cross-entropy", "cross-entropy (loss)", "交叉熵", False,
         "The loss the lecture's model is trained to make small: the number that says how wrong the network is "
         f"(Keras: <code>loss='{LOSS}'</code>). The softmax of the last layer gives each digit a probability; "
         "for one picture the cross-entropy is −log of the probability given to the right digit (the one-hot "
         "label picks it out). It is close to 0 when the network is right and sure of it, and grows without limit "
         "as that probability falls towards 0. The <code>loss</code> Keras prints while training is its average "
         "over the pictures seen so far in the epoch.", SECTIONS[3]),
    Term("learning-rate", "learning rate", "学习率", False,
         "How big the optimizer's steps are: the number each change of the weights is scaled by. Too large, and "
         "training jumps about or runs away; too small, and it crawls. The lecture does not set one, so "
         f"<code>'{OPTIMIZER}'</code> uses Keras' default, {adam_defaults()['learning_rate']}. The "
         "[Train](train/index.md) page lets you choose it.", SECTIONS[3]),
    Term("adam", "Adam (optimizer)", "Adam（优化器）", False,
         f"The optimizer the lecture compiles with (<code>optimizer='{OPTIMIZER}'</code>): the rule that turns each "
         "batch's gradients, found by back-propagation, into changes of the weights. For every weight Adam keeps "
         "a running average of its gradients and of their squares, and moves the weight downhill by the learning "
         "rate times the first divided by the square root of the second (plus ε, a tiny number that keeps the "
         "division safe): each weight gets its own step size, and one whose gradient keeps changing sign takes "
         "small steps. Named by the string alone, Keras' Adam has "
         f"learning rate {adam_defaults()['learning_rate']}, β₁ {adam_defaults()['beta_1']}, "
         f"β₂ {adam_defaults()['beta_2']} and ε {adam_defaults()['epsilon']}.", SECTIONS[3]),
)

TERM_IDS = {t.id for t in TERMS}
if len(TERM_IDS) != len(TERMS):
    raise RuntimeError("glossary: two terms share an id")


def lecture_terms() -> list[str]:
    """Return every Chinese term the glossary attributes to the lecture, split at '、'."""
    return [part for t in TERMS if t.in_lecture for part in t.chinese.split("、")]


def glossary_values() -> dict[str, object]:
    """Return the generated values the Chinese definitions fill in (the same the English ones use)."""
    c1, s2, c3 = summarize(LECTURE).rows[:3]
    rf = [row.receptive_field[0] for row in (c1, s2, c3) if row.receptive_field is not None]
    return {"pixel_max": PIXEL_MAX, "batch": LECTURE_BATCH_SIZE, "field": FIELD, "box": BOX, "year": PAPER_YEAR,
            "channels_first": channels_first_example(), "loss": LOSS, "optimizer": OPTIMIZER,
            **{f"adam_{name}": value for name, value in adam_defaults().items()},
            "kernel": LECTURE.layers[0].kernel_size[0],  # type: ignore[attr-defined]
            "rf0": rf[0], "rf1": rf[1], "rf2": rf[2]}


def render_glossary(language: str = "en") -> str:
    """Return the glossary as Markdown: one section per group, one entry per term with its anchor.

    In English an entry is headed by the English words with the Chinese term under it; in Chinese, the other
    way round, with the definition from :data:`lenet_explain.site.words_zh.GLOSSARY`.
    """
    out = []
    for section in SECTIONS:
        out.append(f"## {translate(section, language)}\n")
        for t in (t for t in TERMS if t.section == section):
            source = translate("the lecture's term" if t.in_lecture else "not in the lecture; the usual Chinese term",
                               language)
            if language == "zh":
                from lenet_explain.site.words_zh import GLOSSARY

                out.append(f'### <span lang="zh-Hans">{t.chinese}</span> {{#{t.id}}}\n')
                out.append(f'<p class="lx-term-zh"><span lang="en">{t.english}</span>（{source}）</p>\n')
                out.append(GLOSSARY[t.id].format(**glossary_values()) + "\n")
                continue
            out.append(f'### {t.english[0].upper() + t.english[1:]} {{#{t.id}}}\n')
            out.append(f'<p class="lx-term-zh"><span lang="zh-Hans">{t.chinese}</span> ({source})</p>\n')
            out.append(t.definition + "\n")
    return "\n".join(out)


def term_link(id: str, text: str, page_url: str) -> str:
    """Return a link to a glossary entry from a page at ``page_url`` (same language); fail on an unknown id."""
    if id not in TERM_IDS:
        raise KeyError(f"no glossary entry {id!r}")
    return f'<a href="{"../" * page_url.count("/")}{language_root(page_url)}glossary/#{id}">{text}</a>'


def language_root(page_url: str) -> str:
    """Return the folder of a page's language from its site URL: 'zh/' for 'zh/pooling/', '' for English."""
    first = page_url.split("/", 1)[0]
    return f"{first}/" if first in LANGUAGES and first != DEFAULT_LANGUAGE else ""
