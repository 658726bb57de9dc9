"""The words that Python code writes into the site (steppers' sentences, figure labels), one table per language.

Pages get numbers from the package and words from here: ``say(language, key, **values)`` fills a template's
``{placeholders}``; :data:`EN` and :data:`ZH` have the same keys and placeholders (tests check). The pages'
JavaScript has its own tables (``docs/i18n/en.js``, ``zh.js``); the sentences a stepper both prints before its
script runs and says while it runs (``sees``) are written the same in both places.
"""

from __future__ import annotations

import string

from lenet_explain.site.i18n import DEFAULT_LANGUAGE, LANGUAGES

_KEYS = ("Tab here, then → and ← move the window one position in reading order (↑ and ↓ a row, Home and End the "
         "first and last), Space plays or pauses. Mouse, pen or finger: the buttons, or a cell of the {what}.")
_KEYS_ZH = ("按 Tab 键移到这里，然后用 → 和 ← 按阅读顺序把窗口移动一格（↑ 和 ↓ 移动一行，Home 键和 End 键到第一格和"
            "最后一格），空格键播放或暂停。用鼠标、触控笔或手指：点按钮，或点击{what}中的格子。")

EN: dict[str, str] = {
    # --- steppers (lenet_explain/site/steppers.py) and receptive fields (receptive.py)
    "position": "row {row}, column {col}",
    "option_image": "Image", "option_feature": "Feature", "option_feature_map": "Map of the feature",
    "option_edge": "Edge windows", "option_layer": "Layer",
    "image_choice": "the {name}",
    "feature_backslash": "the '\\' diagonal", "feature_x": "the small X", "feature_slash": "the '/' diagonal",
    "conv_say": "{position}: {exact} = {value}",
    "pool_partial": ", a partial window: the map's edge leaves {n} of its {of} cells",
    "pool_say": "{position}: max({values}) = {value}{edge}",
    "edge_ceil": "kept (ceil mode, 'same')", "edge_floor": "dropped (floor)",
    "channels_say": "{source} map {map} of {n}: the sum of its {k} products is {part}; running total {running}",
    "unit_name": "{layer} map {map}, {position}",
    "channels_final": "the bias {bias} added: z = {z}; σ(z) = {value}, the value of {name}",
    "span": "{first} to {last}",
    "pad_row": " and {n} padding row {side}", "pad_rows": " and {n} padding rows {side}",
    "pad_column": " and {n} padding column {side}", "pad_columns": " and {n} padding columns {side}",
    "above": "above", "below": "below", "on_left": "on the left", "on_right": "on the right",
    "sees": "{layer}, row {row}, column {col} sees input rows {rows}; columns {cols}: a {h}×{w} field",
    "stepper_convolution": "Step-through convolution: a feature slides over the X or the O",
    "stepper_convolution_help": _KEYS.replace("{what}", "feature map"),
    "stepper_pooling": "Step-through max pooling of a feature map",
    "stepper_pooling_help": _KEYS.replace("{what}", "pooled map"),
    "stepper_channels": "Step-through of one C3 unit adding up its S2 maps",
    "stepper_channels_help": ("Tab here, then → and ← go from one S2 map to the next, and to the bias and the sigmoid "
                              "at the end; Space plays or pauses. Mouse, pen or finger: the buttons."),
    "stepper_receptive-field": "Receptive field explorer: the input pixels one unit sees",
    "stepper_receptive-field_help": ("Choose a layer, then Tab here: the arrow keys move to another unit (→ and ← in "
                                     "reading order, ↑ and ↓ a row). Mouse, pen or finger: click a unit, or a place "
                                     "on the digit."),
    # --- figures (lenet_explain/site/figures.py): fig_<key>
    "fig_mean_of_products": "mean of the products",
    "fig_x_window": "the X, window at row {row}, column {col}",
    "fig_backslash_feature": "'\\' feature",
    "fig_products": "products",
    "fig_step_summary": "sum {total} over {count} pixels = {mean} → the lecture prints {printed}",
    "fig_pool_source": "{size}×{size} map, 2×2 windows, stride 2",
    "fig_pool_result": "max pooled: {size}×{size}",
    "fig_relu_legend": "ReLU: max(x, 0)",
    "fig_sigmoid_legend": "sigmoid: 1/(1 + e^(−x))",
    "fig_after_relu": "after ReLU", "fig_max_pool": "max pool", "fig_pool_again": "pool again",
    "fig_stage": "{stage} ({size}×{size})",
    "fig_image_feature": "the {image}, {feature}",
    "fig_vote_for": "vote for {cls}",
    "fig_input_name": "input: {name}",
    "fig_vote": "vote", "fig_sloppy_x": "sloppy X",
    "fig_the_picture": "the picture", "fig_three_lines": "the lecture's three lines", "fig_mnist_style": "MNIST-style",
    "fig_read_as": "read as {guess}",
    "fig_picture_size": "{w}×{h} px,", "fig_dark_ink": "dark ink on light paper",
    "fig_c3_map": "C3 map ({n} filters)", "fig_s2_map_read": "S2 map read",
    "fig_parameters": "parameters", "fig_connections": "connections",
    "fig_no_weights": "no weights ({type})",
    "fig_lecture_layers": "the lecture's layers ({side}×{side})", "fig_network_1998": "the {year} network",
    "fig_count_log": "count (log scale)",
    "fig_guess": "{digit} ({percent})",
    # the architecture figure: layer names that are words, and the types it names in words (explainer_figures)
    "fig_name_input": "input", "fig_name_flatten": "flatten", "fig_name_output": "output",
    "fig_type_Input": "Input", "fig_type_AveragePooling2D": "AvgPool", "fig_type_MaxPooling2D": "MaxPool",
    "fig_type_Subsampling2D": "Subsample", "fig_type_SparseConv2D": "SparseConv", "fig_type_EuclideanRBF": "RBF",
    # --- figure alt texts (lenet_explain/site/figures.py: figure_alt)
    "fig_alt_comma": ", ", "fig_alt_semicolon": "; ", "fig_alt_and": " and ",
    "fig_alt_purple": "purple", "fig_alt_orange": "orange",
    "fig_alt_input": "input {shape}",
    "fig_alt_layer": "{name} {type} {shape}",
    "fig_alt_layer_values": "{name} {type} {shape} ({values} values)",
    "fig_alt_architecture": ("LeNet-5 as the lecture builds it, one square per layer whose area follows the number of "
                             "values the layer outputs, with its output shape: {parts}."),
    "fig_alt_architecture_1998": ("LeNet-5 as the {year} paper builds it, one square per layer whose area follows the "
                                  "number of values the layer outputs, with its output shape: {parts}."),
    "fig_alt_peaks": "{feature} peaks at {best} in {count} places",
    "fig_alt_feature_maps": ("The three {size}×{size} feature maps of the {image}, {negative} for −1 through white to "
                             "{positive} for +1, every cell labelled with its value: {notes}."),
    "fig_alt_match_step": ("The 3×3 window at row {row}, column {col} of the X, the '\\' feature and their "
                           "element-wise products: {matches} products are +1 and {misses} is −1, sum {total}, mean "
                           "{mean}, printed as {printed}."),
    "fig_alt_pooling": ("The {size}×{size} '\\' feature map cut into 2×2 windows with stride 2; the windows of the "
                        "last row and column hang over the edge (hatched) and hold fewer values. The maximum of each "
                        "window gives the {pooled}×{pooled} map, row by row: {rows}."),
    "fig_alt_activations": ("ReLU (solid) is 0 for every negative x and x itself for positive x; the sigmoid (dashed) "
                            "rises smoothly from 0 to 1 and equals {half} at x = 0."),
    "fig_alt_stack_feature": "{feature}: {values}",
    "fig_alt_stack": ("The {image} after convolution with the three features and ReLU (negatives become 0), then 2×2 "
                      "max pooling and 2×2 max pooling again, one row per feature; the final 2×2 values are {last}."),
    "fig_alt_vote_score": "{score} for {cls}",
    "fig_alt_vote_image": "the {name} gets {scores}, so it is read as {winner}",
    "fig_alt_votes": "Bar chart of the fully connected layer's votes: {parts}.",
    "fig_alt_predict_example": (
        "Left, the picture {name}: a {w}×{h} pixel image of a {digit} in dark ink on light paper, not taken from "
        "MNIST. Middle, what the lecture's three lines feed the network: a nearly white 28×28 square, read as "
        "{naive}. Right, the MNIST-style input: a white {digit} centred on black, read as {mnist}."),
    "fig_alt_c3_row": "map {map} reads S2 maps {maps}",
    "fig_alt_c3_table": ("The paper's Table I, a grid of S2 maps (rows) by C3 maps (columns) with an X where they "
                         "connect: {rows}."),
    "fig_alt_ink": "{digit}: {count}",
    "fig_alt_rbf_bitmaps": ("The {n} fixed prototypes of the output layer, one {columns}×{rows} bitmap per digit 0 to "
                            "{last}, drawn as dark (+1) strokes on light (−1) paper; ink pixels per digit: {ink}."),
    "fig_alt_ledger_layer": "{name} {params} parameters and {connections} connections",
    "fig_alt_ledger_stack": "{stack}: {layers}, the other layers no weights",
    "fig_alt_ledger": "Bar chart, log scale, of parameters beside connections per layer; {parts}.",
    # --- the invariance lab's figure (lenet_explain/site/lab_figures.py)
    "fig_lab_model_lecture": "lecture's model", "fig_lab_model_lenet1998": "LeNet-5 of {year}",
    "fig_lab_shift_x": "right/left", "fig_lab_shift_y": "down/up",
    "fig_lab_shift_axis": "shift (pixels; + right or down)",
    "fig_lab_rotate_axis": "rotation (degrees, counter-clockwise)",
    "fig_lab_accuracy_axis": "test accuracy",
    "fig_alt_lab_model": ("{model}: {none} unchanged; {x_lo} and {x_hi} shifted {shift} pixels left and right, {y_lo} "
                          "and {y_hi} up and down; {r_lo} and {r_hi} rotated {angle}° clockwise and counter-clockwise"),
    "fig_alt_lab_invariance": ("Two line charts of test accuracy on MNIST's {count} test digits, against a whole-pixel "
                               "shift and against a rotation: {parts}."),
}

ZH: dict[str, str] = {
    "position": "第 {row} 行、第 {col} 列",
    "option_image": "图像", "option_feature": "特征", "option_feature_map": "特征",
    "option_edge": "边缘的窗口", "option_layer": "层",
    "image_choice": "{name}",
    # each name ends in 特征, so a sentence can go on in Chinese after it: 小 X 特征在 O 上的特征图
    "feature_backslash": "'\\' 对角线特征", "feature_x": "小 X 特征", "feature_slash": "'/' 对角线特征",
    "conv_say": "{position}：{exact} = {value}",
    "pool_partial": "，窗口不完整：特征图的边缘只留下 {of} 个格子中的 {n} 个",
    "pool_say": "{position}：max({values}) = {value}{edge}",
    "edge_ceil": "保留（ceil 模式，'same'）", "edge_floor": "丢弃（floor 模式）",
    "channels_say": "{source} 第 {map} 张特征图（共 {n} 张）：{k} 个乘积之和为 {part}；累计和 {running}",
    "unit_name": "{layer} 第 {map} 张特征图，{position}",
    "channels_final": "加上偏置 {bias}：z = {z}；σ(z) = {value}，即神经元（{name}）的值",
    "span": "{first} 到 {last}",
    "pad_row": "，外加{side} {n} 行加边像素", "pad_rows": "，外加{side} {n} 行加边像素",
    "pad_column": "，外加{side} {n} 列加边像素", "pad_columns": "，外加{side} {n} 列加边像素",
    "above": "上方", "below": "下方", "on_left": "左侧", "on_right": "右侧",
    "sees": "{layer} 第 {row} 行、第 {col} 列的神经元看到的输入：行 {rows}；列 {cols}；感受野 {h}×{w}",
    "stepper_convolution": "逐步演示卷积：一个特征在 X 或 O 上滑动",
    "stepper_convolution_help": _KEYS_ZH.replace("{what}", "特征图"),
    "stepper_pooling": "逐步演示特征图的最大池化",
    "stepper_pooling_help": _KEYS_ZH.replace("{what}", "池化结果"),
    "stepper_channels": "逐步演示 C3 的一个神经元怎样把各张 S2 特征图加起来",
    "stepper_channels_help": ("按 Tab 键移到这里，然后用 → 和 ← 从一张 S2 特征图走到下一张，最后到偏置和 sigmoid；"
                              "空格键播放或暂停。用鼠标、触控笔或手指：点按钮。"),
    "stepper_receptive-field": "感受野探索：一个神经元看到哪些输入像素",
    "stepper_receptive-field_help": ("先选一层，再按 Tab 键移到这里：方向键移到另一个神经元（→ 和 ← 按阅读顺序，↑ 和 ↓ "
                                     "移动一行）。用鼠标、触控笔或手指：点击一个神经元，或点击数字图上的某处。"),
    "fig_mean_of_products": "乘积的平均值",
    "fig_x_window": "X，窗口在第 {row} 行、第 {col} 列",
    "fig_backslash_feature": "'\\' 特征",
    "fig_products": "乘积",
    "fig_step_summary": "{count} 个像素之和为 {total}，平均值 = {mean} → 课程打印为 {printed}",
    "fig_pool_source": "{size}×{size} 特征图，2×2 窗口，步长 2",
    "fig_pool_result": "最大池化后：{size}×{size}",
    "fig_relu_legend": "ReLU：max(x, 0)",
    "fig_sigmoid_legend": "sigmoid：1/(1 + e^(−x))",
    "fig_after_relu": "ReLU 之后", "fig_max_pool": "最大池化", "fig_pool_again": "再池化一次",
    "fig_stage": "{stage}（{size}×{size}）",
    "fig_image_feature": "{image}，{feature}",
    "fig_vote_for": "投给 {cls}",
    "fig_input_name": "输入：{name}",
    "fig_vote": "得票", "fig_sloppy_x": "潦草的 X",
    "fig_the_picture": "原图", "fig_three_lines": "课程的三行代码", "fig_mnist_style": "MNIST 式预处理",
    "fig_read_as": "识别为 {guess}",
    "fig_picture_size": "{w}×{h} 像素，", "fig_dark_ink": "浅色纸上的深色墨迹",
    "fig_c3_map": "C3 特征图（{n} 个卷积核）", "fig_s2_map_read": "读取的 S2 特征图",
    "fig_parameters": "参数", "fig_connections": "连接",
    "fig_no_weights": "没有权重（{type}）",
    "fig_lecture_layers": "课程的各层（{side}×{side} 输入）", "fig_network_1998": "{year} 年的网络",
    "fig_count_log": "数量（对数刻度）",
    "fig_guess": "{digit}（{percent}）",
    "fig_name_input": "输入", "fig_name_flatten": "展平", "fig_name_output": "输出",
    "fig_type_Input": "图像", "fig_type_AveragePooling2D": "平均池化", "fig_type_MaxPooling2D": "最大池化",
    "fig_type_Subsampling2D": "下采样", "fig_type_SparseConv2D": "部分连接", "fig_type_EuclideanRBF": "RBF",
    # --- 图的替代文字（lenet_explain/site/figures.py: figure_alt）
    "fig_alt_comma": "，", "fig_alt_semicolon": "；", "fig_alt_and": "，",
    "fig_alt_purple": "紫色", "fig_alt_orange": "橙色",
    "fig_alt_input": "输入 {shape}",
    "fig_alt_layer": "{name} {type} {shape}",
    "fig_alt_layer_values": "{name} {type} {shape}（{values} 个值）",
    "fig_alt_architecture": ("课程搭建的 LeNet-5：每层一个方块，方块的面积与该层输出的数值个数成正比，"
                             "旁边标出输出形状：{parts}。"),
    "fig_alt_architecture_1998": ("{year} 年论文中的 LeNet-5：每层一个方块，方块的面积与该层输出的数值个数成正比，"
                                  "旁边标出输出形状：{parts}。"),
    "fig_alt_peaks": "{feature} 的最大值 {best} 出现在 {count} 处",
    "fig_alt_feature_maps": ("{image} 的三张 {size}×{size} 特征图，颜色从 −1 的{negative}经白色过渡到 +1 的"
                             "{positive}，每个格子都标出它的值：{notes}。"),
    "fig_alt_match_step": ("X 中第 {row} 行、第 {col} 列的 3×3 窗口、'\\' 特征以及它们逐元素的乘积："
                           "{matches} 个乘积为 +1，{misses} 个为 −1，和为 {total}，平均值为 {mean}，"
                           "打印为 {printed}。"),
    "fig_alt_pooling": ("{size}×{size} 的 '\\' 特征图被切成步长为 2 的 2×2 窗口；最后一行和最后一列的窗口"
                        "超出边缘（画有斜线），其中的值较少。每个窗口取最大值，得到 {pooled}×{pooled} 的特征图，"
                        "逐行为：{rows}。"),
    "fig_alt_activations": ("ReLU（实线）对所有负的 x 为 0，对正的 x 就是 x 本身；sigmoid（虚线）从 0 平滑地"
                            "升到 1，在 x = 0 处等于 {half}。"),
    "fig_alt_stack_feature": "{feature}：{values}",
    "fig_alt_stack": ("{image} 先与三个特征做卷积并经过 ReLU（负数变为 0），再做 2×2 最大池化，"
                      "然后再做一次 2×2 最大池化，每个特征一行；最后的 2×2 值为 {last}。"),
    "fig_alt_vote_score": "{cls} 得 {score}",
    "fig_alt_vote_image": "{name} 的得票：{scores}，所以被识别为 {winner}",
    "fig_alt_votes": "全连接层投票的柱状图：{parts}。",
    "fig_alt_predict_example": (
        "左边是图片 {name}：一张 {w}×{h} 像素的照片，浅色纸上用深色墨迹写的数字 {digit}，不是来自 MNIST。"
        "中间是课程的三行代码送进网络的输入：一个几乎全白的 28×28 方块，被识别为 {naive}。"
        "右边是 MNIST 式预处理得到的输入：黑底上居中的白色 {digit}，被识别为 {mnist}。"),
    "fig_alt_c3_row": "特征图 {map} 读取 S2 特征图 {maps}",
    "fig_alt_c3_table": "论文的表 I：S2 特征图（行）与 C3 特征图（列）组成的网格，有连接的地方画 X：{rows}。",
    "fig_alt_ink": "{digit}：{count}",
    "fig_alt_rbf_bitmaps": ("输出层的 {n} 个固定原型，数字 0 到 {last} 各一张 {columns}×{rows} 的位图，"
                            "在浅色（−1）的纸上画深色（+1）的笔画；每个数字的墨迹像素数：{ink}。"),
    "fig_alt_ledger_layer": "{name} 有 {params} 个参数、{connections} 个连接",
    "fig_alt_ledger_stack": "{stack}：{layers}，其余各层没有权重",
    "fig_alt_ledger": "柱状图（对数刻度），每层的参数个数与连接数并列；{parts}。",
    # --- 不变性实验的图（lenet_explain/site/lab_figures.py）
    "fig_lab_model_lecture": "课程的模型", "fig_lab_model_lenet1998": "{year} 年的 LeNet-5",
    "fig_lab_shift_x": "左右平移", "fig_lab_shift_y": "上下平移",
    "fig_lab_shift_axis": "平移（像素；正数向右或向下）", "fig_lab_rotate_axis": "旋转（度，逆时针）",
    "fig_lab_accuracy_axis": "测试准确率",
    "fig_alt_lab_model": ("{model}：不变时 {none}；向左、向右平移 {shift} 像素时分别为 {x_lo} 和 {x_hi}，"
                          "向上、向下时为 {y_lo} 和 {y_hi}；顺时针、逆时针旋转 {angle}° 时为 {r_lo} 和 {r_hi}"),
    "fig_alt_lab_invariance": ("两张折线图，画出 MNIST 的 {count} 个测试数字上的测试准确率随整像素平移和随旋转的"
                               "变化：{parts}。"),
}

TABLES = {"en": EN, "zh": ZH}


def placeholders(template: str) -> set[str]:
    """Return the names of a template's ``{placeholders}``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def say(language: str, key: str, **values: object) -> str:
    """Return the words ``key`` in ``language`` ('en' or 'zh') with its placeholders filled."""
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r} (languages: {', '.join(LANGUAGES)})")
    table = TABLES[language] if key in TABLES[language] else TABLES[DEFAULT_LANGUAGE]
    return table[key].format(**values)
