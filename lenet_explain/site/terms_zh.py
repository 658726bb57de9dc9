"""The Chinese edition's terminology table: one term per concept, and the checks every Chinese string must pass.

A Chinese textbook names each concept one way. :data:`TERMS` gives, for each concept the site talks about, the one
Chinese term it uses (the lecture's term where the lecture has one, else d2l-zh's or the usual one) and the variants
it replaces; :func:`find_variants` finds a variant in a text. :func:`find_halfwidth` finds half-width punctuation
beside Chinese text (Chinese prose is set with ，；：（）), and :func:`find_english` the Latin words a Chinese
textbook would not keep (names, code, Keras class names, file formats and units are kept: :data:`KEPT_ENGLISH`).
The tests run these on every Chinese string the site has: its pages, its figures, its JS words and its Python words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE = r"[\u3400-\u4dbf\u4e00-\u9fff]"  # a Chinese character (CJK unified ideographs)


@dataclass(frozen=True)
class ChineseTerm:
    """One concept: its English name, the one Chinese term the site uses, and the variants that term replaces."""

    concept: str
    term: str
    variants: tuple[str, ...]  # regular expressions, each matching one way of writing the concept the site does not use
    note: str = ""  # where the term comes from


TERMS: tuple[ChineseTerm, ...] = (
    ChineseTerm("the lecture (the course this site follows)", "课程", ("讲义", "讲座", "讲稿"),
                "the site's word for it"),
    ChineseTerm("the lecture's author", "课程作者", ("讲者", "讲师", "讲课人"), ""),
    ChineseTerm("epoch (one pass over the training data)", "轮", (
        "轮次", "遍数", r"(?:\d|[一二两三四五六七八九十几每最]|\}\})\s*遍(?!历)", r"(?<![{\w])[Ee]pochs?(?![\w}])"),
        "训练 10 轮，第 3 轮"),
    ChineseTerm("batch, batch size", "批量、批量大小", ("批次", "批大小", r"(?<!小)批(?![量准评处])"), "d2l-zh"),
    ChineseTerm("dilation rate", "扩张率", ("膨胀率", "膨胀系数", "空洞率", r"空洞(?!卷积)"),
                "the glossary; the operation is 空洞卷积"),
    ChineseTerm("ink (a digit's dark strokes)", "墨迹", ("墨水", "笔迹", r"墨(?!迹)"), ""),
    ChineseTerm("clear (the drawing pad)", "清空", ("清除",), ""),
    ChineseTerm("a kernel's weights", "卷积核的权重", ("抽头", "卷积核权重"), "a dense layer's are its 权重"),
    ChineseTerm("padding", "加边", ("填充", "补边", "边界扩充"), "the lecture: 加边 Padding, 加边像素数"),
    ChineseTerm("stride", "步长", ("步幅", "跨度"), "the lecture"),
    ChineseTerm("kernel (feature, filter)", "卷积核", ("滤波器", "过滤器", "滤镜"), "the lecture"),
    ChineseTerm("feature map", "特征图", ("特征映射", "特征地图"), ""),
    ChineseTerm("fully connected (dense) layer", "全连接层", ("稠密层", "密集层", "全连通"), "the lecture"),
    ChineseTerm("receptive field", "感受野", ("接受野", "感受域", "感知野"), ""),
    ChineseTerm("bias", "偏置（偏置项）", ("偏移项", "偏差项", "偏置值"), "the lecture: 偏置项"),
    ChineseTerm("flatten", "展平", ("拉平", "压平", "扁平化"), ""),
    ChineseTerm("accuracy", "准确率", ("正确率", "准确度", "精确率"), ""),
    ChineseTerm("downsampling, subsampling", "下采样", ("降采样", "子采样", "亚采样"), ""),
    ChineseTerm("activation function", "激活函数", ("激励函数",), ""),
    ChineseTerm("learning rate", "学习率", ("学习速率", "学习步长"), ""),
    ChineseTerm("max pooling, average pooling", "最大池化、平均池化", ("最大值池化", "均值池化", "平均值池化"), ""),
    ChineseTerm("multiply-accumulate", "乘加", ("乘累加", "乘积累加"), ""),
    ChineseTerm("test set, training set", "测试集、训练集", ("测试数据集", "训练数据集", "测试集合"), ""),
    ChineseTerm("channel", "通道", ("频道", "信道"), ""),
    ChineseTerm("one-hot", "独热编码", ("one-hot", "单热", "一位有效编码"), ""),
    ChineseTerm("stack file (a network written as JSON or TOML)", "网络文件", ("栈文件", "堆叠文件"),
                "the calculator page's word"),
    ChineseTerm("neuron, unit (one output of a layer)", "神经元", (r"(?<!整流)单元(?!格)",),
                "the lecture (输入 卷积、池化、神经元 输出); ReLU stays 线性整流单元"),
    ChineseTerm("loss", "损失", ("损耗", "代价值"), ""),
    ChineseTerm("dropout rate", "丢弃率", ("失活率", "丢弃比例", "随机失活率"), ""),
    ChineseTerm("the 1998 network's output (a penalty, lowest wins)", "惩罚值", (r"(?<!惩)罚值", "惩罚分"), ""),
    ChineseTerm("a Web Worker (a training thread of the page)", "训练线程", ("工作线程", "工作者线程"),
                "the API's name Web Worker is kept"),
    ChineseTerm("preprocessing", "预处理", ("前处理", "预先处理"), "the lecture: 图片读取&预处理"),
    ChineseTerm("permalink (a heading's link)", "永久链接", ("固定链接", "永久连结"), ""),
)

# Latin words a Chinese textbook keeps, by why it keeps them: people's and programs' names, code and Keras' names,
# formats and units.
# Each word is one the finder returns: it stops at a digit or an underscore, so "Conv2D" is kept as "Conv",
# "sha256" as "sha", "float32" as "float". Text marked lang="en" (a title, a glossary entry's English name) and
# code are not prose and are not checked.
KEPT_ENGLISH_GROUPS: dict[str, frozenset[str]] = {
    "people": frozenset({
        "Yann", "LeCun", "Bottou", "Bengio", "Haffner", "Cortes", "Burges", "Brandon", "Rohrer", "Adam", "Harley",
        "Edward", "Yang", "Levenberg", "Marquardt", "Glorot", "Okabe", "Ito", "Simard", "Steinkraus", "Platt"}),
    "organisations, data sets and standards": frozenset({
        "AT", "T",  # AT&T
        "MNIST", "ITU-R", "BT", "IEEE", "Intel", "Xeon", "Processor", "R"}),  # BT.601; Intel(R) Xeon(R) Processor
    "programs, libraries and colour maps": frozenset({
        "Keras", "TensorFlow", "Python", "PyTorch", "NumPy", "numpy", "Matplotlib", "matplotlib", "Pillow", "pandas",
        "OpenCV", "MkDocs", "mkdocs", "mkdocs-macros", "mkdocs-jupyter", "mkdocs-static-i", "jieba", "latex",
        "pytest", "Jupyter", "PyPI", "Chromium", "ConvNetJS", "JavaScript", "WebGL", "lenet-explain", "lenet",
        "ColorBrewer", "PuOr", "cividis", "viridis", "wasm", "webgl", "cpu",  # tf.js' backends
        "WebAssembly", "SIMD", "Node"}),
    "Keras' classes and the values of its arguments": frozenset({
        "Conv", "Dense", "Flatten", "AveragePooling", "MaxPooling", "SparseConv", "Subsampling", "EuclideanRBF",
        "Sequential", "Functional", "Input", "ReLU", "LeakyReLU", "ELU", "Softmax", "Rescaling", "DepthwiseConv",
        "SeparableConv", "Reshape", "Add", "Concatenate", "Dropout", "ZeroPadding", "Activation",
        "same", "valid"}),
    "networks": frozenset({
        "LeNet", "VGG", "ResNet", "MobileNet", "MobileNetV", "DenseNet", "Inception", "Xception"}),
    "formats and encodings": frozenset({
        "PNG", "JPEG", "WebP", "BMP", "GIF", "SVG", "RGB", "RGBA", "EXIF", "JSON", "TOML", "CSV", "HDF", "UTF",
        "DEFLATE", "MathML", "Markdown", "HTTP", "float", "sha", "BOM", "CRC", "zip",
        "wheel", "README"}),  # a Python package's file; a project's read-me file
    "units": frozenset({"KB", "MB", "GB", "MiB"}),
    "keys of the keyboard": frozenset({"Tab", "Home", "End", "Shift", "Delete", "Esc", "N", "P"}),
    "abbreviations and function names a textbook keeps": frozenset({
        "ReLU", "sigmoid", "softmax", "tanh", "log", "max", "RBF", "MAP", "SDLM", "GPU", "CPU", "I", "II",
        "ln", "lr", "RMS"}),  # the natural logarithm; the learning rate in Adam's formula; root mean square
    "letters: the example's X and O, LeNet's layer kinds, the formulas' variables": frozenset({
        "X", "O", "C", "S", "F", "a", "b", "c", "d", "e", "f", "i", "j", "k", "m", "n", "r", "w", "x", "y", "z",
        "A", "H", "M", "W", "L", "g", "p", "t", "v"}),  # L the loss, p a probability, g a gradient, t a step
}
KEPT_ENGLISH_GROUPS.update({
    "function names and code values said as the code says them": frozenset({
        "tf", "ceil", "floor"}),  # tf.js; the rounding functions (PyTorch's ceil_mode)
    "the browser's API names": frozenset({"Web", "Worker"}),  # a Web Worker
    "more units and encodings": frozenset({"B", "U", "FEFF"}),  # bytes; the code point U+FEFF
})
KEPT_ENGLISH: frozenset[str] = frozenset().union(*KEPT_ENGLISH_GROUPS.values())

# Code the calculator's messages speak of, as a reader types or reads it back (only in those messages: elsewhere
# "input" in Chinese text is an English word): the command line, a stack file's keys and its --op values, JSON's
# own words. Keras' layer classes, arguments and activations are code there too (the page's tables give them).
CALCULATOR_CODE: frozenset[str] = frozenset({
    "lenet-explain", "summary", "FILE", "config", "name", "type", "input", "layers", "inbound", "conv", "maxpool",
    "avgpool", "true", "false", "null", "NaN", "Infinity", "None", "Model", "README"})

_HALFWIDTH = re.compile(rf"{CHINESE}\s*[,;:()]|[,;:()]\s*{CHINESE}")
# A Latin word: letters (and inner hyphens) not glued to other Latin letters, digits, "_", ".", "-" or "/" on their
# left ("表示purple" is a word; "sha256" is "sha"; the C of "C1" is no word); a file's name (stack.json, engine.js)
# is code, not a word.
_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_.\-/])(?:[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Za-z](?![A-Za-z0-9_]))")
_FILE_NAME = re.compile(r"[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*"
                        r"\.(?:json|js|py|keras|h5|bin|css|png|svg|toml|ipynb|md|jpg|csv)\b")


def find_variants(text: str) -> list[tuple[str, str]]:
    """Return each (variant found, the site's term) in ``text``."""
    found: list[tuple[str, str]] = []
    for entry in TERMS:
        for pattern in entry.variants:
            found.extend((match.group(0), entry.term) for match in re.finditer(pattern, text))
    return found


def find_halfwidth(text: str) -> list[str]:
    """Return the half-width , ; : ( or ) that stand beside a Chinese character in ``text``, with that character."""
    return [match.group(0) for match in _HALFWIDTH.finditer(text)]


def find_english(text: str, kept: frozenset[str] = KEPT_ENGLISH) -> list[str]:
    """Return the Latin words of ``text`` that are not kept in Chinese prose (``kept``: names, code, units)."""
    if not re.search(CHINESE, text):
        return []
    return [word for word in _LATIN_WORD.findall(_FILE_NAME.sub(" ", text)) if word not in kept]
