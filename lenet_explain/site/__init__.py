"""The documentation site's generators: explainer computations, figures, MathML, mkdocs macros and hooks.

No number on a page is typed by hand: every one comes from these modules when the site is built.

- mkdocs.yml loads as macro modules :mod:`~lenet_explain.site.macros` (which registers the topic modules
  :mod:`~lenet_explain.site.explainer_macros`, :mod:`~lenet_explain.site.size_macros`,
  :mod:`~lenet_explain.site.lenet1998_macros`, :mod:`~lenet_explain.site.history_macros` and
  :mod:`~lenet_explain.site.interactive_macros`),
  :mod:`~lenet_explain.site.cli_macros`, :mod:`~lenet_explain.site.train_macros` and
  :mod:`~lenet_explain.site.learn_macros` (the learn page's plateau section) and :mod:`~lenet_explain.site.lab_macros`
  (the invariance lab's conventions, table and figure); and as hooks
  ``quiet_build.py``, ``hooks.py`` (figures, MathML), ``i18n_hooks.py`` (the Chinese edition) and
  :mod:`~lenet_explain.site.search_hooks` (one search index per language).
- Computations: :mod:`~lenet_explain.site.explainer` (the lecture's X/O example),
  :mod:`~lenet_explain.site.channels` (one unit of C3 with the reference model's weights),
  :mod:`~lenet_explain.site.receptive` (receptive fields as places on the input),
  :mod:`~lenet_explain.site.steppers` (the steppers' data), :mod:`~lenet_explain.site.model_answers` (what the
  reference model says on the examples; imports Keras), :mod:`~lenet_explain.site.learn_data` (the plateau
  measurements of the train page's first steps, ``docs/learn/plateau.json``), :mod:`~lenet_explain.site.lab_data`
  (the invariance lab's data over the test set, ``docs/lab/lab_data.json``; imports Keras to make it).
- Rendering: :mod:`~lenet_explain.site.page_html` (tables, matrices, ``<pre>``), :mod:`~lenet_explain.site.mathml`
  (LaTeX to MathML), :mod:`~lenet_explain.site.segment_breaks` (no line break between two Chinese characters);
  the figures: :mod:`~lenet_explain.site.figures` (the registry),
  :mod:`~lenet_explain.site.figure_layout` (the layout engine), :mod:`~lenet_explain.site.figure_text` (text metrics
  without a CJK font), :mod:`~lenet_explain.site.explainer_figures`, :mod:`~lenet_explain.site.lenet1998_figures`,
  :mod:`~lenet_explain.site.learn_figures` and :mod:`~lenet_explain.site.lab_figures` (the drawings).
- Languages: :mod:`~lenet_explain.site.i18n` (which language a page is, ``translate``),
  :mod:`~lenet_explain.site.words` and :mod:`~lenet_explain.site.words_zh` (the words Python writes into pages),
  :mod:`~lenet_explain.site.glossary` (every term with the lecture's Chinese term),
  :mod:`~lenet_explain.site.terms_zh` (the Chinese terminology table: one term per concept, and the checks of
  every Chinese string).
- The browser's data files: :mod:`~lenet_explain.site.weights_export` (the visualizer's weights and manifest),
  :mod:`~lenet_explain.site.train_data` (the trainer's models, recipe and MNIST) and
  :mod:`~lenet_explain.site.calculator_data` (the calculator page's tables: layer fields, activations, limits,
  built-in stacks).
"""
