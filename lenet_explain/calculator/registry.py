"""One registry of layer types: a Keras class name → its description, a frozen dataclass whose ``compute`` is its
arithmetic. Stack files, ``.keras`` configs and the Keras builder look layer types up here."""

from __future__ import annotations

from lenet_explain.calculator.activations import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from lenet_explain.calculator.base import Layer
from lenet_explain.calculator.convolutional import (
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
)
from lenet_explain.calculator.core import Dense, Embedding, Identity, Input, LayerScale, Masking
from lenet_explain.calculator.lenet1998 import EuclideanRBF, SparseConv2D, Subsampling2D
from lenet_explain.calculator.merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    TensorOp,
)
from lenet_explain.calculator.normalization import (
    BatchNormalization,
    GroupNormalization,
    LayerNormalization,
    Normalization,
    UnitNormalization,
)
from lenet_explain.calculator.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from lenet_explain.calculator.preprocessing import (
    CenterCrop,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Rescaling,
    Resizing,
)
from lenet_explain.calculator.regularization import (
    AlphaDropout,
    Dropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
    StochasticDepth,
)
from lenet_explain.calculator.reshaping import (
    Cropping1D,
    Cropping2D,
    Cropping3D,
    Flatten,
    Permute,
    RepeatVector,
    Reshape,
    UpSampling1D,
    UpSampling2D,
    UpSampling3D,
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)

# The lecture's and the 1998 network's layers, in the order a stack file's errors name them.
BASE_TYPES: tuple[type[Layer], ...] = (
    Input, Conv2D, MaxPooling2D, AveragePooling2D, ZeroPadding2D, Flatten, Dense, Dropout, Activation,
    BatchNormalization, GlobalAveragePooling2D, GlobalMaxPooling2D, SparseConv2D, Subsampling2D, EuclideanRBF,
)
MERGE_TYPES: tuple[type[Layer], ...] = (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot)
# The rest of Keras' vision and sequence layers, and the ones keras.applications registers.
KERAS_TYPES: tuple[type[Layer], ...] = (
    Conv1D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, SeparableConv1D, SeparableConv2D,
    DepthwiseConv1D, DepthwiseConv2D, MaxPooling1D, AveragePooling1D, MaxPooling3D, AveragePooling3D,
    GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling3D, GlobalMaxPooling3D, UpSampling1D,
    UpSampling2D, UpSampling3D, Cropping1D, Cropping2D, Cropping3D, ZeroPadding1D, ZeroPadding3D, Reshape, Permute,
    RepeatVector, ReLU, LeakyReLU, ELU, Softmax, PReLU, LayerNormalization, GroupNormalization, UnitNormalization,
    Normalization, Rescaling, Resizing, CenterCrop, RandomCrop, RandomFlip, RandomRotation, RandomZoom,
    RandomTranslation, RandomContrast, RandomBrightness, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
    GaussianNoise, GaussianDropout, AlphaDropout, Identity, Masking, Embedding, *MERGE_TYPES, LayerScale,
    StochasticDepth,
)
LAYER_TYPES: dict[str, type[Layer]] = {cls.__name__: cls for cls in (*BASE_TYPES, *KERAS_TYPES, TensorOp)}
BASE_LAYER_TYPES = tuple(cls.__name__ for cls in BASE_TYPES)  # named in a stack file's errors
KERAS_LAYER_COUNT = len(LAYER_TYPES) - 2  # the Keras layer classes a config may name (not Input, not TensorOp)


def find_layer_type(name: str) -> type[Layer] | None:
    """Return the description class of a Keras layer class name, or None."""
    return LAYER_TYPES.get(name)
