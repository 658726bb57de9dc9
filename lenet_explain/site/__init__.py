"""The documentation site's generators: explainer computations, figures, MathML, mkdocs macros and hooks.

mkdocs.yml loads :mod:`~lenet_explain.site.macros` and :mod:`~lenet_explain.site.cli_macros` as macro modules
and :mod:`~lenet_explain.site.hooks` as a hook; no number on a page is typed by hand.
"""
