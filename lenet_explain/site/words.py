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
_KEYS_ZH = ("用 Tab 移到这里，然后 → 和 ← 按阅读顺序把窗口移动一格（↑ 和 ↓ 移动一行，Home 和 End 到第一格和最后一格），"
            "空格键播放或暂停。鼠标、触控笔或手指：用按钮，或点击{what}中的格子。")

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
}

ZH: dict[str, str] = {
    "position": "第 {row} 行、第 {col} 列",
    "option_image": "图像", "option_feature": "特征", "option_feature_map": "特征的特征图",
    "option_edge": "边缘窗口", "option_layer": "层",
    "image_choice": "{name}",
    "feature_backslash": "'\\' 对角线", "feature_x": "小 X", "feature_slash": "'/' 对角线",
    "conv_say": "{position}：{exact} = {value}",
    "pool_partial": "，不完整的窗口：特征图的边缘只留下 {of} 个格子中的 {n} 个",
    "pool_say": "{position}：max({values}) = {value}{edge}",
    "edge_ceil": "保留（ceil 模式，'same'）", "edge_floor": "丢弃（floor）",
    "channels_say": "{source} 第 {map} 张特征图（共 {n} 张）：{k} 个乘积之和为 {part}；累计和 {running}",
    "unit_name": "{layer} 第 {map} 张特征图，{position}",
    "channels_final": "加上偏置 {bias}：z = {z}；σ(z) = {value}，即 {name} 的值",
    "span": "{first} 到 {last}",
    "pad_row": "，另有{side} {n} 行填充", "pad_rows": "，另有{side} {n} 行填充",
    "pad_column": "，另有{side} {n} 列填充", "pad_columns": "，另有{side} {n} 列填充",
    "above": "上方", "below": "下方", "on_left": "左侧", "on_right": "右侧",
    "sees": "{layer} 第 {row} 行第 {col} 列的单元看到的输入：行 {rows}；列 {cols}；感受野 {h}×{w}",
    "stepper_convolution": "逐步演示卷积：一个特征在 X 或 O 上滑动",
    "stepper_convolution_help": _KEYS_ZH.replace("{what}", "特征图"),
    "stepper_pooling": "逐步演示特征图的最大池化",
    "stepper_pooling_help": _KEYS_ZH.replace("{what}", "池化结果"),
    "stepper_channels": "逐步演示 C3 的一个单元如何把各张 S2 特征图加起来",
    "stepper_channels_help": ("用 Tab 移到这里，然后 → 和 ← 从一张 S2 特征图走到下一张，最后到偏置和 sigmoid；"
                              "空格键播放或暂停。鼠标、触控笔或手指：用按钮。"),
    "stepper_receptive-field": "感受野探索：一个单元看到哪些输入像素",
    "stepper_receptive-field_help": ("先选一层，再用 Tab 移到这里：方向键移到另一个单元（→ 和 ← 按阅读顺序，↑ 和 ↓ "
                                     "移动一行）。鼠标、触控笔或手指：点击一个单元，或点击数字图上的某处。"),
    "fig_mean_of_products": "乘积的平均值",
    "fig_x_window": "X，窗口在第 {row} 行、第 {col} 列",
    "fig_backslash_feature": "'\\' 特征",
    "fig_products": "乘积",
    "fig_step_summary": "{count} 个像素的和 {total}，平均 = {mean} → 讲义打印为 {printed}",
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
    "fig_the_picture": "原图", "fig_three_lines": "讲义的三行代码", "fig_mnist_style": "MNIST 风格",
    "fig_read_as": "识别为 {guess}",
    "fig_picture_size": "{w}×{h} 像素，", "fig_dark_ink": "浅色纸上的深色笔迹",
    "fig_c3_map": "C3 特征图（{n} 个卷积核）", "fig_s2_map_read": "读取的 S2 特征图",
    "fig_parameters": "参数", "fig_connections": "连接",
    "fig_no_weights": "没有权重（{type}）",
    "fig_lecture_layers": "讲义的各层（{side}×{side}）", "fig_network_1998": "{year} 年的网络",
    "fig_count_log": "数量（对数刻度）",
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
