"""mkdocs hook: the build says what it does (mkdocs' own lines) and shows every warning a reader can act on.

Loaded while mkdocs reads ``mkdocs.yml``, so it takes effect before any plugin's ``on_config``:

- mkdocs-macros-plugin 1.5.0 (the newest) builds its ``force_render_paths`` matcher with pathspec's
  deprecated 'gitwildmatch' name, and every pathspec from 1.0 on warns about it twice, with stack frames.
  No cause-level fix exists: the last quiet pathspec (0.12.1) conflicts with mypy 2.4 (it needs
  pathspec >= 1.0) and no newer plugin exists. So that one warning is filtered, narrowly: its category, its
  text, raised from pathspec's own modules. Any other DeprecationWarning still shows.
- mkdocs-macros logs every name it registers, mkdocs-jupyter its cache hits and copies, and mkdocs-static-i18n
  each language's folder and every setting it overrides, at INFO, on every build. Their loggers go to WARNING
  (unless ``mkdocs … --verbose`` asked for everything): their warnings and errors still show, and so does every
  line mkdocs itself prints.

- TensorFlow warns "5 out of the last 6 calls to <function …one_step_on_data_distributed…> triggered
  tf.function retracing" when a cold build (no figure cache) predicts with several models in one process: the
  CLI page runs ``lenet-explain predict`` in-process, the predict page and the visualizer's note ask the
  reference model. Each call is right and a reader can do nothing about it; that message alone is dropped from
  the ``tensorflow`` logger.

Material for MkDocs' end-of-life notice is printed before any hook can run; ``scripts/setup.sh`` turns it off
with the theme's own switch (``NO_MKDOCS_2_WARNING``) and the README says the date once.
"""

from __future__ import annotations

import logging
import warnings

PATHSPEC_GITWILDMATCH = r"GitWildMatchPattern \('gitwildmatch'\) is deprecated"
TF_RETRACING = "triggered tf.function retracing"
CHATTY_PLUGIN_LOGGERS = ("mkdocs.plugins.mkdocs_macros", "mkdocs.plugins.mkdocs_jupyter", "mkdocs.mkdocs-jupyter",
                         "mkdocs.plugins.mkdocs_static_i18n")


def not_retracing(record: logging.LogRecord) -> bool:
    """Return False for TensorFlow's frequent-retracing warning, True for every other record."""
    return TF_RETRACING not in record.getMessage()


def quiet_third_party_output() -> None:
    """Filter pathspec's 'gitwildmatch' DeprecationWarning and keep the plugins' INFO chatter off the output."""
    warnings.filterwarnings("ignore", message=PATHSPEC_GITWILDMATCH, category=DeprecationWarning, module=r"pathspec\.")
    logging.getLogger("tensorflow").addFilter(not_retracing)
    if logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG):  # --verbose: show everything
        return
    for name in CHATTY_PLUGIN_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


quiet_third_party_output()
