"""Every limit the package enforces, in one place; each is stated in its error message and in the README.

Limits keep memory and time bounded whatever a file or a command line holds. The calculator page
(``docs/calculator/``) enforces the calculator's limits with the same numbers: it reads them from
``calculator-data.js``, generated from this module by :mod:`lenet_explain.site.calculator_data`.
"""

from __future__ import annotations

MIB = 1024 * 1024

# The calculator (the CLI's size and summary, and the calculator page).
MAX_DIGITS = 100  # digits of any whole number the calculator reads (results are exact up to MAX_RESULT_DIGITS)
MAX_RESULT_DIGITS = 4300  # digits of a result the calculator prints (Python's own int→str limit); exact below it
MAX_DEPTH = 64  # nesting of lists and objects in a stack file or a Keras config.json
MAX_LAYERS = 1000  # layers in one stack
MAX_STACK_FILE_BYTES = 1 * MIB  # a .json or .toml stack file
MAX_KERAS_CONFIG_BYTES = 8 * MIB  # config.json inside a .keras archive, once inflated
MAX_ARCHIVE_MEMBERS = 64  # files inside a .keras archive

# Keras: what it may allocate and load.
MAX_MODEL_PARAMS = 200_000_000  # parameters Keras may build (summary --verify, predict --model): VGG19 fits
MAX_VERIFY_SIZE = 2**53  # sizes --verify compares: Keras computes shapes in floating point, exact up to here
MAX_MODEL_FILE_BYTES = 256 * MIB  # a .keras or .h5 model file that predict loads, and its inflated contents

# The walkthrough.
MAX_IMAGE_PIXELS = 50_000_000  # pixels of one image that predict reads
MAX_SHOW_ROWS = 20  # files drawn by predict --show (every file is still predicted and printed)
PREDICT_CHUNK = 32  # files prepared and predicted together; memory does not grow with the number of files
MAX_SEED = 2**32 - 1  # train --seed: what numpy and TensorFlow accept
MAX_EPOCHS = 1000
MAX_BATCH_SIZE = 60_000  # the size of MNIST's training set


def format_limit_bytes(count: int) -> str:
    """Return a byte limit as people say it: ``1 MiB``, ``256 MiB``, or bytes when not a whole MiB."""
    return f"{count // MIB} MiB" if count % MIB == 0 else f"{count:,} bytes"
