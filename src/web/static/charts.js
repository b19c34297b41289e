// Draws a Vega-Lite specification into an element with the vendored vega and vega-lite (SVG).

/** Renders `spec` into `element`; marks it `data-rendered` when done. Returns the vega View. */
export async function renderChart(element, spec) {
  const compiled = window.vegaLite.compile(spec).spec;
  element.replaceChildren();
  const view = new window.vega.View(window.vega.parse(compiled), {
    renderer: "svg",
    container: element,
    hover: true,
  });
  await view.runAsync();
  element.dataset.rendered = "true";
  return view;
}
