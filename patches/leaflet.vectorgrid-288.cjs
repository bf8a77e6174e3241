/* Leaflet.VectorGrid 1.3.0 calls L.DomEvent.fakeStop on a click, which Leaflet 1.8 removed
 * ("L.DomEvent.fakeStop is not a function", Leaflet.VectorGrid#274). Upstream's fix (#288, merged,
 * not released) calls L.DomEvent.stop instead; this applies the same one-line change to the file
 * mapapp serves, after `npm ci` / `npm install` (package.json "postinstall"). Run again: no change. */
"use strict";
const fs = require("fs");
const path = require("path");

const MARK = "/* mapapp: patched with Leaflet.VectorGrid#288 (L.DomEvent.stop for fakeStop) */\n";
const file = path.join(__dirname, "..", "node_modules", "leaflet.vectorgrid", "dist", "Leaflet.VectorGrid.bundled.js");

if (!fs.existsSync(file)) {
  console.log("leaflet.vectorgrid not installed: nothing to patch");
  process.exit(0);
}
let text = fs.readFileSync(file, "utf8");
if (text.startsWith(MARK)) process.exit(0);
const before = "L.DomEvent.fakeStop(e);";
const count = text.split(before).length - 1;
if (count !== 1) {
  console.error("leaflet.vectorgrid: expected one call of " + before + " in " + file + ", found " + count + ": check the version pinned in package.json");
  process.exit(1);
}
text = MARK + text.replace(before, "L.DomEvent.stop(e);");
fs.writeFileSync(file, text);
console.log("leaflet.vectorgrid: patched " + path.relative(process.cwd(), file));
