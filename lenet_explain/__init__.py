"""LeNet-5 Explained: layer arithmetic, explainer computations and the walkthrough.

Importing this package never imports TensorFlow; the Keras parts live in modules
that are imported only when needed (``lenet_explain.models.keras_model`` and friends).
"""

from lenet_explain.errors import LenetError

__version__ = "0.1.0"
__all__ = ["LenetError", "__version__"]
