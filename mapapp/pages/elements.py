"""Folium elements of mapapp: layers that the browser fetches from the API, and the app's config.

folium's ``GeoJson(url, embed=False)`` still downloads the data in Python while
building the map; these elements only write the URL into the page.
"""
from __future__ import annotations

import json

from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.map import Layer
from jinja2 import Template


class ApiLayer(Layer):
    """An overlay whose GeoJSON is fetched by the browser from ``/api/layers/<layer>``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = mapapp.apiLayer({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, layer: str, title: str, show: bool = True) -> None:
        super().__init__(name=title, overlay=True, control=True, show=show)
        self._name = "ApiLayer"
        self.options = {"layer": layer}


class BlankBase(Layer):
    """A base layer with no tiles: the map still reads with no internet at all."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.layerGroup();
            mapapp.setBlankBase({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, show: bool = False) -> None:
        super().__init__(name=title, overlay=False, control=True, show=show)
        self._name = "BlankBase"


class AppConfig(MacroElement):
    """Puts the page's configuration (labels, styles, layer URLs) and mapapp's own JS/CSS in the head."""

    def __init__(self, config: dict, js_urls: list[str], css_url: str) -> None:
        super().__init__()
        self._name = "AppConfig"
        self.config = config
        self.js_urls = js_urls
        self.css_url = css_url

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        # json.dumps then escaping "</" keeps user text from closing the script element.
        payload = json.dumps(self.config, ensure_ascii=False).replace("</", "<\\/")
        figure.header.add_child(Element(f"<script>window.MAPAPP_CONFIG = {payload};</script>"), name="mapapp_config")
        figure.header.add_child(CssLink(self.css_url), name="mapapp_css")
        for i, url in enumerate(self.js_urls):
            figure.header.add_child(JavascriptLink(url), name=f"mapapp_js_{i}")
        super().render(**kwargs)
