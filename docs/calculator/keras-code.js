/*
 * keras-code.js: the Python that builds a stack in Keras (lenet_explain.models.keras_model.build_model).
 */
import { LenetError, floatText, has, isInt, layerAt, message, tupleStr, valueText } from "./numbers.js";

// The code is Python: these few functions write its literals.

/** A Python tuple literal of whole numbers (nested pairs too). */
function pyTuple(values) {
  return tupleStr(values.map((v) => (Array.isArray(v) ? tupleStr(v) : v)));
}

/** A Python string literal (JSON's escapes are valid Python). */
function pyStr(text) {
  return JSON.stringify(String(text));
}

/** A Python number literal: a whole number as its digits, a float with its point. */
function pyNumber(value) {
  return typeof value === "bigint" ? String(value) : floatText(value);
}

/** The Keras layer call(s) for one described layer, mirroring keras_model.to_keras_layers. */
function kerasLines(layer) {
  var lines = [];
  var name = pyStr(layer.name);
  var padding = layer.padding;
  var windowed = layer.type === "Conv2D" || layer.type === "MaxPooling2D" || layer.type === "AveragePooling2D";
  if (windowed && isInt(padding)) {
    if (padding !== 0n) lines.push("keras.layers.ZeroPadding2D(" + padding + ", name=" + pyStr(layer.name + "_pad") + ")");
    padding = "valid";
  }
  var args = [];
  var pad = padding === "valid" ? [] : ["padding=" + pyStr(padding)];
  var act = layer.activation ? ["activation=" + pyStr(layer.activation)] : [];
  var ones = function (pair) { return pair[0] === 1n && pair[1] === 1n; };
  switch (layer.type) {
    case "Conv2D":
      if (!ones(layer.strides) && !ones(layer.dilation_rate)) {
        throw new LenetError(layerAt(layer.name) + message("keras_strides_dilation", { strides: pyTuple(layer.strides),
          dilation: pyTuple(layer.dilation_rate) }));
      }
      args = [String(layer.filters), pyTuple(layer.kernel_size)]
        .concat(ones(layer.strides) ? [] : ["strides=" + pyTuple(layer.strides)], pad,
          ones(layer.dilation_rate) ? [] : ["dilation_rate=" + pyTuple(layer.dilation_rate)], act,
          layer.use_bias ? [] : ["use_bias=False"], layer.groups === 1n ? [] : ["groups=" + layer.groups]);
      break;
    case "GlobalAveragePooling2D":
    case "GlobalMaxPooling2D":
      args = layer.keepdims ? ["keepdims=True"] : [];
      break;
    case "MaxPooling2D":
    case "AveragePooling2D":
      if (layer.ceil_mode) {
        throw new LenetError(layerAt(layer.name) + message("keras_no_ceil"));
      }
      if (!ones(layer.dilation_rate)) throw new LenetError(layerAt(layer.name) + message("keras_no_dilation"));
      args = [pyTuple(layer.pool_size)].concat(layer.strides ? ["strides=" + pyTuple(layer.strides)] : [], pad);
      break;
    case "ZeroPadding2D":
      args = [pyTuple(layer.padding)];
      break;
    case "Dense":
      args = [String(layer.units)].concat(act, layer.use_bias ? [] : ["use_bias=False"]);
      break;
    case "Dropout":
      args = [pyNumber(layer.rate)];
      break;
    case "Activation":
      args = [pyStr(layer.activation)];
      break;
    case "BatchNormalization":
      args = (layer.axis === -1n ? [] : ["axis=" + layer.axis]).concat(layer.center ? [] : ["center=False"],
        layer.scale ? [] : ["scale=False"]);
      break;
    default:
      args = [];
  }
  lines.push("keras.layers." + layer.type + "(" + args.concat(["name=" + name]).join(", ") + ")");
  return lines;
}

/** Python code that builds the stack in Keras, as lenet_explain.models.keras_model.build_model does. */
export function kerasCode(stack) {
  var lines = [
    "import keras",
    "",
    "model = keras.Sequential(name=" + pyStr(stack.name) + ")",
    "model.add(keras.Input(shape=" + pyTuple(stack.input) + ", name=\"input\"))",
  ];
  var names = Object.create(null);
  names.input = message("model_input");
  stack.layers.forEach(function (layer) {
    if (String(layer.name).indexOf("/") >= 0) {
      throw new LenetError(layerAt(valueText(layer.name)) + message("keras_slash"));
    }
    kerasLines(layer).forEach(function (call, i, calls) {
      var name = i < calls.length - 1 ? layer.name + "_pad" : layer.name;
      if (has(names, name)) {
        throw new LenetError(layerAt(valueText(name)) + message("keras_unique", { other: names[name] }));
      }
      names[name] = i < calls.length - 1 ? message("padding_layer_of", { name: valueText(layer.name) })
        : message("layer_named", { name: valueText(name) });
      lines.push("model.add(" + call + ")");
    });
  });
  lines.push("model.summary()");
  return lines.join("\n") + "\n";
}
