/**
 * A hand-written ES module with the constructs that trip tokenizers:
 * regular expressions with quotes, templates with nested substitutions,
 * comments that look like imports, and every import form.
 * import "./in-a-comment.js";
 */
import { LitElement, html, css } from "lit";
import { property } from 'lit/decorators.js';
import "./polyfills.js";
import * as format from '../lib/format.mjs';
import defaultTheme, { dark as darkTheme } from "./themes/index.js";
import config from "./config.json" with { type: "json" };
import sheet from "../css/widget.css" with { type: "css" };
export * from "./helpers.js";
export { Dialog as default, DialogEvent } from "./dialog.js";
export * as icons from "/static/icons/index.js";
import { missing } from "./missing.js";
import { up } from "../../outside.js";
import "https://cdn.example.com/analytics.js";

const ESCAPE = /[&<>"'`]/g, QUOTE = /^(["'])(.*)\1$/, SLASHES = /\/\/|\/\*/;
const ratio = width / height / 2, half = (a + b) / 2, last = items[n - 1] / total;
const label = (s) => s.replace(/'/g, "\\'").replace(/"/g, '\\"');

export class Widget extends LitElement {
  static styles = [sheet, css`:host { display: block; } .x { background: url("./bg.png"); }`];
  @property() name = "import('./not-a-module.js')";

  render() {
    const item = (i) => html`<li class=${i % 2 ? "odd" : "even"}>${`#${i}: ${format.number(i / 3)}`}</li>`;
    return html`<ul>${this.items.map(item)}</ul><p>${ {a: "}"}.a } import("./in-a-template.js")</p>`;
  }

  async open(page) {
    if (page === "settings") return import("./pages/settings.js");
    if (/^help/.test(page)) /"/.test(page) && import("./pages/help.js");
    const { Chart } = await import(`./charts/${page}.js`); // computed: left as written
    return import('./pages/' + page + '.js').then((m) => m.default ?? Chart);
  }
}

export const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
export const logo = new URL('../img/logo.svg', import.meta.url).href;
export const notRelative = new URL("./no-base.png"), other = new URL("./other.png", document.baseURI);
const s = "//# sourceMappingURL=in-a-string.map", t = `//# sourceMappingURL=in-a-template.map`;
const r = /\/\/# sourceMappingURL=in-a-regexp.map/;
customElements.define("x-widget", Widget); //# sourceMappingURL=module.js.map
