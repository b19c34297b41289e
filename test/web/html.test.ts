import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dataTable, html, jsonData } from "../../src/web/html.ts";

// The pages' HTML: values from tables and from the user are escaped; JSON for the scripts cannot end its element.
describe("the dashboard's HTML", () => {
  it("escapes every interpolated value, in text and in attributes", () => {
    const value = `<img src=x onerror="alert('x')">&`;
    assert.equal(
      html`<a title="${value}">${value}</a>`.text,
      '<a title="&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62;&#38;">&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62;&#38;</a>',
    );
    assert.equal(html`<p>${[html`<b>${"<"}</b>`, null, false, 3]}</p>`.text, "<p><b>&#60;</b>3</p>");
  });

  it("shows table cells as text: markup in a value stays text, objects show as JSON, null as null", () => {
    const table = dataTable(["a", "b", "c"], [["</td><script>x</script>", { k: "<v>" }, null]]).text;
    assert.match(table, /<td>&#60;\/td&#62;&#60;script&#62;x&#60;\/script&#62;<\/td>/);
    assert.match(table, /<td>\{&#34;k&#34;:&#34;&#60;v&#62;&#34;\}<\/td>/);
    assert.match(table, /<td class="null">null<\/td>/);
    assert.doesNotMatch(table, /<script>/);
  });

  it("hands data to the scripts as JSON that no value can close early", () => {
    const data = jsonData("d", {
      text: "</script><script>alert(1)</script>",
      big: 2n ** 64n,
      line: "\u2028",
    });
    assert.equal(
      data.text,
      '<script type="application/json" id="d">{"text":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>","big":"18446744073709551616","line":"\\u2028"}</script>',
    );
    const json = data.text.slice(data.text.indexOf(">") + 1, data.text.lastIndexOf("</script>"));
    assert.deepEqual(JSON.parse(json), {
      text: "</script><script>alert(1)</script>",
      big: "18446744073709551616",
      line: "\u2028",
    });
  });
});
