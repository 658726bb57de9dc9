"""The Chinese words of the site's Python-made HTML: table cells, headers and captions, glossary entries.

Keys are the English texts (or ``str.format`` templates) that :mod:`lenet_explain.site.macros` and its topic
modules, :mod:`lenet_explain.site.train_macros` and :mod:`lenet_explain.site.glossary` write; values are the same
text in Chinese, with the same ``{placeholders}``, so both languages show the same generated numbers. A missing key
fails the Chinese build (:func:`lenet_explain.site.i18n.translate`). Terms follow the lecture: 卷积, 卷积核,
池化, 特征图, 全连接层, 激活函数, 步长, 加边 (padding), 训练参数, 偏置项.
"""

from __future__ import annotations

WORDS: dict[str, str] = {
    # the history page's table of the 1998 paper's MNIST results (history_macros.py)
    "the paper's label": "论文中的名称", "classifier": "分类器", "trained on": "训练数据", "test error": "测试错误率",
    "a linear classifier (one weighted sum per digit)": "线性分类器（每个数字一个加权和）",
    "k nearest neighbours, by Euclidean distance between pixels": "k 近邻，按像素之间的欧氏距离",
    "LeNet-1, a smaller convolutional network, on smaller digits": "LeNet-1，一个更小的卷积网络，输入是缩小的数字",
    "LeNet-4, a convolutional network a little smaller than LeNet-5": "LeNet-4，一个比 LeNet-5 稍小的卷积网络",
    "LeNet-5, the network this site explains": "LeNet-5，本站讲解的网络",
    "a virtual support vector machine (polynomial kernel)": "多项式核的虚拟支持向量机",
    "LeNet-4s combined by boosting": "用提升法组合的多个 LeNet-4",
    "training digits and distorted copies": "训练数字及其变形副本", "the training digits": "训练数字",
    "LeCun et al. {year}, {figure}: test error on MNIST's test digits": "LeCun 等，{year}，{figure}：MNIST 测试数字上的错误率",
    " and ": "和", ", trained with distortions": "（训练时加入变形）", "Fig. {number}": "图 {number}",
    # the 1998 page's comparison table (lenet1998_macros.COMPARISON_TEMPLATES)
    "C3": "C3", "loss": "损失", "training": "训练",
    "{first} or {last}": "{first} 或 {last}",
    "squashing": "压缩函数",
    "S2, S4": "S2、S4",
    "test accuracy": "测试准确率",
    "{side}×{side} MNIST digit, pixels 0 (paper) to 1 (ink); C1 pads 'same'": "{side}×{side} 的 MNIST 数字，像素从 0（纸）到 1（墨迹）；C1 用 'same' 加边",
    "the digit padded to {paper_side}×{paper_side}, paper {background} and ink {ink}": "数字四周加边至 {paper_side}×{paper_side}，纸为 {background}，墨迹为 {ink}",
    "a mean near 0 and a variance near 1 speed up learning; the padding lets C1 see strokes near the edge": "均值接近 0、方差接近 1 能加快学习；加边让 C1 能看到靠近边缘的笔画",
    "sigmoid, 0 to 1": "sigmoid，0 到 1",
    "scaled tanh {A}·tanh({S}·a), −{A} to {A}": "缩放的 tanh {A}·tanh({S}·a)，−{A} 到 {A}",
    "outputs centred on 0; f(±1) = ±1, the RBF targets, where the curve bends most": "输出以 0 为中心；f(±1) = ±1，正是 RBF 的目标值，也是曲线弯得最厉害的地方",
    "average pooling, {pool_params} parameters": "平均池化，{pool_params} 个参数",
    "trainable subsampling: a coefficient and a bias per map, squashed ({s2_params} and {s4_params} parameters)": "可训练的下采样：每张特征图一个系数和一个偏置，再经压缩函数（{s2_params} 和 {s4_params} 个参数）",
    "each map learns how much its blurred copy should count, and the squash can turn it into an OR or an AND": "每张特征图学习它模糊后的副本该占多大分量，压缩函数还能把它变成“或”或者“与”",
    "every map reads all {s2_maps} S2 maps ({c3_params} parameters)": "每张特征图读取全部 {s2_maps} 张 S2 特征图（{c3_params} 个参数）",
    "maps read {c3_reads} S2 maps through Table I ({paper_c3_params} parameters, {c3_connections} connections)": "按表 I，每张特征图读取 {c3_reads} 张 S2 特征图（{paper_c3_params} 个参数，{c3_connections} 个连接）",
    "fewer connections (the paper's reason in {year}), and different inputs break the symmetry between maps": "连接更少（这是 {year} 年论文给出的理由），而且不同的输入打破了特征图之间的对称性",
    "dense, softmax over {classes} ({output_params} trainable parameters)": "全连接层，对 {classes} 个类别做 softmax（{output_params} 个可训练参数）",
    "{classes} Euclidean RBF units, fixed ±1 weights from {columns}×{rows} bitmaps ({rbf_trainable} trainable, {rbf_fixed} fixed): lowest penalty wins": "{classes} 个欧氏 RBF 神经元，固定的 ±1 权重来自 {columns}×{rows} 的位图（{rbf_trainable} 个可训练，{rbf_fixed} 个固定）：惩罚值最低者获胜",
    "F6 learns to draw the digit's bitmap; a digit that looks like no bitmap gets high penalties everywhere": "F6 学会画出数字的位图；一个不像任何位图的数字在每一类上都得到很高的惩罚值",
    "categorical cross-entropy": "分类交叉熵",
    "the MAP criterion (eq. {map_equation}), j = {j}": "MAP 准则（式 {map_equation}），j = {j}",
    "pulls the right class' penalty down, and a wrong one up only when it comes close": "把正确类别的惩罚值往下拉，只在错误类别靠得太近时才把它往上推",
    "{lecture_optimizer}, {lecture_epochs} epochs, batch {lecture_batch}": "{lecture_optimizer}，{lecture_epochs} 轮，批量大小 {lecture_batch}",
    "{paper_optimizer}, learning rate {rate} falling ×{decay} a pass, {paper_epochs} epochs, batch {paper_batch}": "{paper_optimizer}，学习率 {rate}，每轮乘以 {decay}，共 {paper_epochs} 轮，批量大小 {paper_batch}",
    "the paper's per-weight step sizes (SDLM) in today's usual form": "论文中每个权重各自的步长（SDLM），换成今天常用的形式",
    "{paper_params} trainable + {paper_fixed} fixed": "{paper_params} 个可训练 + {paper_fixed} 个固定",
    "one weight use per connection: the work per image": "每个连接用一次权重：也就是每张图片的计算量",
    "on the same {test_size} MNIST test digits": "在同样的 {test_size} 张 MNIST 测试数字上",
    # the predict page: the reference model's first guess (lenet1998_macros.guess_words)
    "{digit} ({percent})": "{digit}（{percent}）",
    # the X-and-O example (lenet_explain.site.explainer's names)
    "the '\\' diagonal": "'\\' 对角线",
    "the small X": "小 X",
    "the '/' diagonal": "'/' 对角线",
    "the {name}": "{name}",
    "{label}: as the lecture prints it": "{label}：课程印出的数值",
    "{label}: exact (sum of products / {n})": "{label}：精确值（乘积之和 / {n}）",
    "pixels under the window": "窗口下的像素",
    "the '\\' feature": "'\\' 特征",
    "their products": "它们的乘积",
    "{label}, max pooled": "{label}，最大池化",
    "{label}, max pooled, floor": "{label}，最大池化（向下取整）",
    "{label}, average pooled (exact)": "{label}，平均池化（精确值）",
    "{label}, average pooled (rounded to two decimals)": "{label}，平均池化（四舍五入到两位小数）",
    "{label} after ReLU": "{label}，经过 ReLU",
    "partial": "不完整",
    "full": "完整",
    "value (map, row, column)": "值（特征图，行，列）",
    "weight for {name}": "{name} 的权重",
    "the fully connected layer's weights (each column sums to 1)": "全连接层的权重（每列之和为 1）",
    "input: {name}": "输入：{name}",
    "the values after convolution → ReLU → pool → pool": "经过卷积 → ReLU → 池化 → 池化之后的值",
    "input": "输入",
    "vote for {name}": "投给 {name} 的票",
    "read as": "识别为",
    "the votes (weighted sums, rounded to two decimals)": "票数（加权和，四舍五入到两位小数）",
    "{feature} map ({row},{col})": "{feature} 特征图（{row}，{col}）",
    "sloppy X": "潦草的 X",
    # layers, sizes and parameters
    "{filters} kernels {kh}×{kw}, stride {stride}, padding '{padding}'":
        "{filters} 个卷积核 {kh}×{kw}，步长 {stride}，加边 '{padding}'",
    "{ph}×{pw} window, stride {stride}": "{ph}×{pw} 窗口，步长 {stride}",
    "{units} neurons": "{units} 个神经元",
    "{name}, in {label}": "{label}中的 {name}",
    "the Keras model": "Keras 模型",
    "the lecture's table": "课程的表格",
    "layer": "层",
    "input (H×W)": "输入（高×宽）",
    "window": "窗口",
    "size formula (lecture form)": "尺寸公式（课程写法）",
    "note": "说明",
    "output (H×W)": "输出（高×宽）",
    "kernels / window / neurons": "卷积核 / 窗口 / 神经元",
    "output": "输出",
    "parameters": "参数",
    "the lecture's formula": "课程的公式",
    "receptive field": "感受野",
    "total parameters": "参数总数",
    "trainable parameters": "可训练参数",
    "non-trainable parameters": "不可训练参数",
    "multiply-accumulates (MACs) per image": "每张图片的乘加次数",
    "parameter memory (float32)": "参数占用的内存（float32）",
    "activation memory per image (float32)": "每张图片的激活值内存（float32）",
    "{h}×{w}×{c} outputs × ({kh}×{kw}×{inputs}) each": "{h}×{w}×{c} 个输出，每个 {kh}×{kw}×{inputs} 次乘加",
    "{outputs} outputs × {inputs} each": "{outputs} 个输出，每个 {inputs} 次乘加",
    "no multiplications by weights": "不与权重相乘",
    # the calculator's summary table and its notes on an axis (lenet_explain.calculator.formatting.NOTE_WORDS,
    # describe_axis): the calculator page's words (docs/i18n/zh.js, sections "calculator" and "errors")
    "Layer (type)": "层（类型）", "Output Shape": "输出形状", "Param #": "参数量", "all": "全部",
    "H: {h}; W: {w}": "高：{h}；宽：{w}",
    "dilated kernel {effective} = {dilation}×({kernel} − 1) + 1": "扩张后的卷积核 {effective} = {dilation}×({kernel} − 1) + 1",
    "'same': output ⌈{input}/{stride}⌉ = {output}, padding {pad} ({before} before, {after} after)":
        "'same'：输出 ⌈{input}/{stride}⌉ = {output}，加边 {pad}（前 {before}，后 {after}）",
    "padding {pad} on each side": "每侧加边 {pad}",
    "ceil mode": "ceil 模式",
    "; ": "；",
    " (a last window would start past the input)": "（最后一个窗口会从输入之外开始）",
    # the 1998 network
    "output shape": "输出形状",
    "trainable": "可训练",
    "fixed": "固定",
    "connections": "连接数",
    "how they add up": "如何相加",
    "per parameter": "每个参数",
    "total": "合计",
    # one unit of C3, receptive fields
    "{source} map {number}": "{source} 第 {number} 张特征图",
    "Σ w·x over its window": "窗口内的 Σ w·x",
    "bias": "偏置",
    "of {layer} map {number}": "{layer} 第 {number} 张特征图的",
    "the sum of the rows above": "上面各行之和",
    "the unit's value, 1/(1 + e^(−z))": "神经元的值，1/(1 + e^(−z))",
    "the model's own {layer} output for this unit": "Keras 模型本身算出的这个神经元的值（{layer} 的输出）",
    "what": "内容",
    "value": "值",
    "One C3 unit, map by map (rounded; the sums use every digit)": "C3 的一个神经元，逐张特征图（四舍五入显示；求和使用全部位数）",
    "{k}×{k}, stride {s}": "{k}×{k}，步长 {s}",
    "jump of its input": "输入的跳距",
    "field before + (window − 1) × jump": "前一层的感受野 +（窗口 − 1）× 跳距",
    # the glossary's frame
    "Pictures and features": "图片与特征",
    "Layers": "层",
    "Sizes and counts": "尺寸与计数",
    "Training and testing": "训练与测试",
    "the lecture's term": "课程中的术语",
    "not in the lecture; the usual Chinese term": "课程中没有；通常的中文译名",
    # the train page (train_macros.py)
    "Implementation": "实现",
    "this page": "本页",
    "this page, one worker": "本页（一个训练线程）",
    "this page, two workers": "本页（两个训练线程）",
    "this page, plain JS": "本页（普通 JavaScript）",
    "this page, plain JS, two workers": "本页（普通 JavaScript，两个训练线程）",
    "this page, plain JS, one worker": "本页（普通 JavaScript，一个训练线程）",
    "lecture: digits/s": "课程的模型：每秒数字数",
    "modern: digits/s": "现代版：每秒数字数",
    "÷ native TensorFlow": "÷ 原生 TensorFlow",
    "While it trains": "训练时",
    "idle": "空闲",
    "one other process keeps a core busy": "另有一个进程占满一个核心",
    "longest frame gap": "最长帧间隔",
    "99th percentile": "第 99 百分位",
    "Pause acts in": "暂停生效用时",
    "Reset acts in": "重置生效用时",
    "{ms} ms": "{ms} 毫秒",
    "The lecture's model training on this page with its default settings, the page drawing as it goes, for "
    "{seconds} s in each of {rounds} runs: the gaps between two animation frames (requestAnimationFrame), and the "
    "time from pressing Pause until the training has stopped ({pauses} presses a run) and from pressing Reset "
    "until the next frame; the worst of the runs, with the median speed. Targets: no frame gap over {gap} ms "
    "idle and {gap_busy} ms with a core busy, the 99th percentile at most {p99} ms, Pause within {pause} ms.":
        "用本页的默认设置训练课程的模型，页面一边训练一边绘制，每次 {seconds} 秒，共 {rounds} 次：记录相邻两帧动画"
        "之间的间隔，按下“暂停”到训练真正停下的用时（每次按 {pauses} 下），以及按下“重置”到下一帧的用时；"
        "取各次中最差的值，速度取中位数。目标：空闲时帧间隔都不超过 {gap} 毫秒，占满一个核心时不超过 {gap_busy} 毫秒，"
        "第 99 百分位不超过 {p99} 毫秒，暂停在 {pause} 毫秒内生效。",
    "TensorFlow {tf}, model.fit in Python on the same processor (not in a browser)":
        "TensorFlow {tf}，在同一个处理器上用 Python 运行 <code>model.fit</code>（不在浏览器里）",
    "matrix products in WebAssembly; one or two Web Workers, whichever its timing finds quicker":
        "矩阵乘法用 <code>wasm</code> 模块；用一个还是两个 Web Worker，由计时决定，哪种快就用哪种",
    "matrix products in WebAssembly; always two Web Workers, each computes half of every batch":
        "矩阵乘法用 <code>wasm</code> 模块；始终用两个 Web Worker，各算每个批量的一半",
    "matrix products in WebAssembly; one Web Worker": "矩阵乘法用 <code>wasm</code> 模块；只用一个 Web Worker",
    "matrix products in plain JavaScript (the readable reference); workers chosen by timing":
        "矩阵乘法用普通的 JavaScript（便于阅读的参考实现）；Web Worker 的个数由计时决定",
    "matrix products in plain JavaScript; always two Web Workers": "矩阵乘法用普通的 JavaScript；始终用两个 Web Worker",
    "matrix products in plain JavaScript; one Web Worker": "矩阵乘法用普通的 JavaScript；只用一个 Web Worker",
    "Note": "说明",
    "Epoch": "轮",
    "Time": "用时",
    "{seconds} s": "{seconds} 秒",
    "{name}, {cores} cores": "{name}（{cores} 核）",
    "TensorFlow.js {tfjs}, cpu backend, model.trainOnBatch":
        "TensorFlow.js {tfjs}，<code>cpu</code> 后端，<code>model.trainOnBatch</code>",
    "TensorFlow.js {tfjs}, webgl backend (software WebGL: no GPU)":
        "TensorFlow.js {tfjs}，<code>webgl</code> 后端（没有 GPU，WebGL 由软件渲染）",
    "TensorFlow.js {tfjs}, wasm backend": "TensorFlow.js {tfjs}，<code>wasm</code> 后端",
    ": cannot train ({error})": "：无法训练（它报错 <code>{error}</code>）",
    "ConvNetJS {convnetjs}, Adam; max pooling in both models (it has no average pooling)":
        "ConvNetJS {convnetjs}，Adam；两个模型都用最大池化（它没有平均池化）",
    "Not measured yet: run <code>scripts/bench_training.py</code>.": "尚未测量：请运行 <code>scripts/bench_training.py</code>。",
    "After {seconds} s of training with this page's defaults (seed 1, in the same run), the lecture's model "
    "reached a test accuracy of {lecture} on the {test} test digits, the modern one {modern} (the targets: "
    "{lecture_target} and {modern_target}).":
        "在同一次运行中，用本页的默认设置（种子 1）训练 {seconds} 秒后，课程的模型在 {test} 个测试数字上的测试准确率为 "
        "{lecture}，现代版为 {modern}（目标分别是 {lecture_target} 和 {modern_target}）。",
    "Training speed, batch {batch}, forward + backward + Adam, median of {rounds} runs of {seconds} s each: native "
    "TensorFlow in Python, the others in {browser} (headless), on {machine}; {date}, load average {load}: other "
    "work on the machine slows every figure, so compare the ratios to native TensorFlow, measured in turn in the "
    "same run. The target for the lecture's model on this page: {target} of native TensorFlow's speed.":
        "训练速度（批量大小 {batch}，前向传播 + 反向传播 + Adam）：每次训练 {seconds} 秒，共 {rounds} 次，取中位数。"
        "原生 TensorFlow 在 Python 里运行，其余的在无界面的 {browser} 里运行，机器为 {machine}；测于 {date}，平均负载 {load}。"
        "机器上的其他任务会拖慢每一个数，所以请看与原生 TensorFlow 的比值：它们是在同一次运行中轮流测得的。"
        "本页训练课程模型的目标：达到原生 TensorFlow 速度的 {target}。",
    "The lecture's model.fit: {steps} steps of {batch} per epoch ({train} training digits), tested on all "
    "{test} test digits after each epoch.":
        "课程用 Keras 训练时打印的记录：每轮 {steps} 步，每步 {batch} 个数字（共 {train} 个训练数字），每轮结束后在全部"
        " {test} 个测试数字上测试。",
    # the learn page's plateau figure (learn_figures.py) and section (learn_macros.py)
    "step": "训练步数", "the lecture's model": "课程的模型", "the modern variant": "现代版",
    "spread of F6's outputs": "F6 的输出随数字的变化", "loss on {n} test digits": "{n} 个测试数字上的损失",
    "gradient (RMS)": "梯度（均方根）", "Adam's step (RMS)": "Adam 的改动（均方根）", "learning rate": "学习率",
    "Four charts over the first {steps} steps of training. The lecture's model: at step 1 the kernel gradients' "
    "RMS runs from {c1} (C1) to {out} (output), yet Adam's steps are all near the learning rate, {lr}; then the "
    "steps of C3 to the output shrink while C1's stay large. The modern variant: gradients from {mlow} to {mhigh} "
    "at step 1. The spread of F6's outputs over {n} test digits starts at {s_lecture} for the lecture's model and "
    "{s_modern} for the modern one; the lecture's model's loss stays near ln 10 = {ln10} until about step {leave}, "
    "when its spread has grown to {s_leave}; the modern variant's loss falls below {limit} by step {mleave}.":
        "四张图，横轴都是训练的前 {steps} 步。课程的模型：第 1 步时各层卷积核梯度的均方根从 {c1}（C1）到 {out}（输出层），"
        "Adam 对各层权重的改动却都接近学习率 {lr}；之后 C3 到输出层的改动变小，C1 的改动仍然很大。现代版：第 1 步的梯度在 "
        "{mlow} 到 {mhigh} 之间。F6 的输出在 {n} 个测试数字之间的变化（标准差），课程的模型起初是 {s_lecture}，现代版是 "
        "{s_modern}；课程的模型的损失一直停在 10 的自然对数 {ln10} 附近，到第 {leave} 步左右才开始下降，这时这一变化已增大到 {s_leave}；"
        "现代版的损失在第 {mleave} 步就降到了 {limit} 以下。",
    "Solid lines: the RMS of each layer's kernel gradient; dashed: the RMS of Adam's change to those weights; "
    "dotted: the learning rate. Measured every {every} steps of the train page's run with its defaults "
    "(seed {seed}, batch size {batch}).":
        "实线：各层卷积核梯度的均方根；虚线：Adam 对这些权重的改动的均方根；点线：学习率。取自训练页用默认设置"
        "（种子 {seed}，批量大小 {batch}）的那次训练，每 {every} 步测一次。",
    # the invariance lab's table (lab_macros.py)
    "unchanged": "不变", "{n} px left / right": "向左 / 向右 {n} 像素", "{n} px up / down": "向上 / 向下 {n} 像素",
    "{n}° clockwise / counter-clockwise": "顺时针 / 逆时针 {n}°", "The test digits": "测试数字",
    "LeNet-5 of {year}": "{year} 年的 LeNet-5",  # ("the lecture's model" is above)
    "Test accuracy on all {count} MNIST test digits, moved or turned as the lab does it.":
        "全部 {count} 个 MNIST 测试数字按本实验的方法平移或旋转之后的测试准确率。",
}

# Glossary entries (lenet_explain.site.glossary.TERMS) by id: the Chinese definition, a template with the same
# generated values as the English one (see glossary.glossary_values).
GLOSSARY: dict[str, str] = {
    "feature": "卷积在输入上滑动的一小块权重网格。在 X 和 O 的例子里，特征是手工画出的、由 +1 和 −1 组成的小图案；"
               "在训练好的网络里，卷积核是学出来的。课程把它叫作卷积核。",
    "feature-map": "卷积对一个卷积核的输出：在每个位置上，卷积核与那里的输入匹配得有多好。每个卷积核得到一张特征图，"
                   "合起来就是这一层输出的各个通道。",
    "channel": "一张图像或一层输出中叠在一起的各张图之一：灰度图只有一个通道，彩色图每种颜色（红、绿、蓝）一个，"
               "卷积层的输出每个卷积核一个。本站把形状写成高×宽×通道，和 Keras 一样；课程的表格把通道写在前面"
               "（C1 的输出：{channels_first}）。",
    "normalization": "在课程中，归一化只有一个意思：把像素值除以 {pixel_max}，让它们落在 0 到 1 之间"
                     "（<code>train_images / {pixel_max}</code>）。它不是某个激活函数的名字。",
    "convolution": "把卷积核在输入上滑动，在每个位置上把卷积核的权重与它下方数值的乘积加起来（再加上一个偏置）。"
                   "卷积层用许多卷积核做这件事。LeNet-5 的卷积层是 C1、C3 和 C5。",
    "pooling": "每个窗口只留下一个数，从而缩小每张特征图：留下最大值（最大池化）或平均值（平均池化）。池化层没有要学习的权重。"
               "LeNet-5 的池化层是 S2 和 S4。",
    "subsampling": "{year} 年论文对它的池化层的叫法（S2 和 S4 中的 S）：每个输出把输入中一个小窗口的值加起来，乘以一个可训练的"
                   "系数，再加上一个可训练的偏置；课程的 Keras 模型则对窗口取平均。课程把它们叫作池化层，Adam Harley 的"
                   "可视化工具则叫它们“下采样层”。",
    "activation": "一层对它算出的每个值所施加的函数：ReLU（负值变为 0）、sigmoid（把每个值压缩到 0 和 1 之间）、"
                  "softmax（把最后一层的分数变成概率）。课程的 Keras 模型使用 sigmoid，最后一层使用 softmax。",
    "fully-connected": "每个输出都是全部输入的加权和再加上一个偏置的层（Keras：<code>Dense</code>）。课程的表格把 C5、F6 "
                       "和输出层分别叫作全连接层1、全连接层2 和输出层。",
    "neuron": "一层的一个输出：特征图上的一个值，或全连接层的一个输出。",
    "input-layer": "课程表格中的第一层和最后一层：输入的图片，以及输出的分数（每个数字一个）。",
    "stride": "窗口每一步移动多远。步长为 1 时走遍每个位置；步长为 2 时隔一个位置走一次，输出大约减半。",
    "padding": "卷积之前在输入四周补上的零。课程的公式把两侧的加边像素合在一起计数（加边像素数）。Keras 的 "
               "<code>padding='valid'</code> 不加边（课程写作“'valid'（丢弃）”，因为放不下的窗口会被丢弃），"
               "<code>padding='same'</code> 则补上足够的零，使步长为 1 时尺寸保持不变。",
    "output-size": "卷积层或池化层输出的高（或宽）：（输入 − 卷积核 + 加边像素数）/ 步长 + 1，除不尽时向下取整。",
    "dilation": "把卷积核的各个权重彼此拉开，这样的卷积叫空洞卷积：扩张率为 $d$ 时，大小为 $k$ 的卷积核覆盖 $d(k - 1) + 1$ "
                "个像素。",
    "parameters": "网络要学习的数：每个权重和每个偏置。卷积层有（通道数 × 卷积核高 × 卷积核宽 + 1）× 卷积核个数个参数；"
                  "全连接层有输入数 × 输出数 + 输出数个；池化层没有。",
    "bias": "卷积核或神经元在加权和上再加的那个数；每个卷积核或神经元一个。",
    "kernel-depth": "卷积核总是贯穿输入的全部通道（它的深度由输入决定）；卷积核的个数则由人选定，它决定输出的通道数。"
                    "课程要求把两者区分开（卷积核维度 & 卷积核个数区分）。",
    "mac": "做一次乘法，并把结果加到累计和上。本站用乘加次数衡量一层处理一张图片的计算量。",
    "receptive-field": "沿一条边，有多少个输入像素能影响一层的一个值：{kernel}×{kernel} 的卷积在图片上看到 {rf0} 个像素，"
                       "它后面的池化层看到 {rf1} 个，下一个卷积层看到 {rf2} 个，依此类推。计算器表格中的“感受野”一列就是它；"
                       "全连接层把所有输入混在一起之后，记作“全部”。[看它如何逐层增长](pooling.md#receptive-field)，"
                       "还可以选一个神经元，看它在数字上的感受野。",
    "one-hot": "把标签写成一组 0/1 值，每个数字一个，只在该数字的位置上为 1（课程用 <code>pd.get_dummies</code> 生成）。",
    "epoch": "一轮指把全部训练图片都用过一次；一个批量是优化器走一步时对其误差取平均的那些图片，批量大小在 Keras 中默认为 "
             "{batch}。",
    "validation": "网络没有用来训练、每轮结束后都要测量的图片。课程把测试集作为 <code>validation_data</code> 传入，所以它打印的 "
                  "<code>val_acc</code> 就是测试准确率；动手实践也这样做，以便与课程比较。",
    "preprocessing": "课程在预测之前的步骤：以灰度读入图片（图片读取），缩放到 {field}×{field}（图片大小调整），为网络改变形状"
                     "（维度改变，即 <code>reshape</code>），再除以 {pixel_max}（归一化）。MNIST 式的处理流程还会把浅色背景反转、"
                     "裁剪到墨迹、缩放进 {box}×{box} 的方框并居中。",
    "save-load": "把训练好的模型写入文件，再把它读回来（课程所说的调用模型），用它来识别新的图片。",
    "cross-entropy": "课程的模型在训练中要尽量减小的损失，也就是衡量网络错得有多厉害的那个数（Keras："
                     "<code>loss='{loss}'</code>）。最后一层的 softmax 给每个数字一个概率；对一张图片，交叉熵就是网络给正确数字的"
                     "概率取对数再取负，正确的数字由独热编码的标签挑出来。网络答对而且很有把握时，它接近 0；那个概率越接近 0，"
                     "它就越大，没有上限。训练时 Keras 打印的 <code>loss</code> 是它在本轮已经看过的图片上的平均值。",
    "learning-rate": "优化器每一步迈多大：权重的每次改动都要乘上的那个数。太大，训练会来回跳动甚至发散；太小，训练就进展得很慢。"
                     "课程没有设定学习率，所以 <code>'{optimizer}'</code> 用的是 Keras 的默认值 {adam_learning_rate}。"
                     "[训练](train/index.md)页可以自己选择学习率。",
    "adam": "课程编译模型时用的优化器（<code>optimizer='{optimizer}'</code>）：把每个批量的梯度（由反向传播算出）变成权重改动的"
            "规则。Adam 为每个权重记住它的梯度的滑动平均和梯度平方的滑动平均，每次让权重朝减小损失的方向移动：学习率 × 前者 ÷ "
            "后者的平方根（分母上再加一个很小的数 ε，保证除法不出问题）。这样每个权重有自己的步长，梯度总在变号的权重步子就迈得小。"
            "只写字符串 <code>'{optimizer}'</code> 时，Keras 的 Adam 用的是学习率 {adam_learning_rate}、β₁ {adam_beta_1}、"
            "β₂ {adam_beta_2}、ε {adam_epsilon}。",
    "backpropagation": "为每个权重算出哪个小改动能减小误差的算法；训练就是一个批量接一个批量地重复这样的改动。",
}
