"""The documentation site's generators: explainer computations, figures, MathML, mkdocs macros and hooks.

mkdocs.yml loads :mod:`~lenet_explain.site.macros` (which registers the topic modules ``*_macros``),
:mod:`~lenet_explain.site.cli_macros` and :mod:`~lenet_explain.site.train_macros` as macro modules, and
``quiet_build.py``, ``hooks.py`` and ``i18n_hooks.py`` as hooks; no number on a page is typed by hand. The browser's
data files are exported from here too (:mod:`~lenet_explain.site.weights_export`,
:mod:`~lenet_explain.site.train_data`).
"""
