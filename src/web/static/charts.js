// Draws a Vega-Lite specification into an element with the vendored vega and vega-lite (SVG).
import { expressionInterpreter } from "/vendor/vega-interpreter.js";

/** Renders `spec` into `element`; marks it `data-rendered` when done. Returns the vega View. */
export async function renderChart(element, spec) {
  const compiled = window.vegaLite.compile(spec).spec;
  element.replaceChildren();
  // Expressions as syntax trees, evaluated by the interpreter: the page's policy forbids eval.
  const view = new window.vega.View(window.vega.parse(compiled, null, { ast: true }), {
    expr: expressionInterpreter,
    renderer: "svg",
    container: element,
    hover: true,
  });
  await view.runAsync();
  element.dataset.rendered = "true";
  return view;
}
