/* Autocomplete of the dataset search box.
 *
 * Asks the action datenraum_search_autocomplete (Solr's suggester: titles, keywords and
 * publishers of public datasets) while the visitor types, and offers the answers through the
 * input's native <datalist>, so keyboard use and screen readers work as with any input.
 * Nothing but this site is contacted.
 *
 * Options (data-module-*): url (the action's URL), title / tag / organization (the labels of
 * the three kinds, shown beside each suggestion), delay (ms after the last key, default 200).
 */
this.ckan.module("datenraum-autocomplete", function () {
  "use strict";
  return {
    options: { url: null, delay: 200, title: "", tag: "", organization: "" },

    initialize: function () {
      this.input = this.el[0].querySelector('input[name="q"]');
      this.list = this.el[0].querySelector("datalist");
      if (!this.input || !this.list || !this.options.url) {
        return;
      }
      this.input.setAttribute("list", this.list.id);
      this.timer = null;
      this.asked = "";
      this.input.addEventListener("input", this._onInput.bind(this));
    },

    _onInput: function () {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(this.update.bind(this), this.options.delay);
    },

    update: function () {
      var text = this.input.value.trim();
      if (text.length < 2) {
        this.list.replaceChildren();
        return;
      }
      if (text === this.asked) {
        return;
      }
      this.asked = text;
      var module = this;
      var url = this.options.url + "?q=" + encodeURIComponent(text);
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && body.success && module.asked === text) {
            module.show(body.result);
          }
        })
        .catch(function () { /* no suggestions: the search itself still works */ });
    },

    show: function (result) {
      var kinds = { titles: this.options.title, tags: this.options.tag,
                    organizations: this.options.organization };
      var options = [];
      Object.keys(kinds).forEach(function (kind) {
        (result[kind] || []).forEach(function (entry) {
          var option = document.createElement("option");
          option.value = entry.label;
          option.label = kinds[kind] ? entry.label + " (" + kinds[kind] + ")" : entry.label;
          option.setAttribute("data-kind", kind);
          options.push(option);
        });
      });
      this.list.replaceChildren.apply(this.list, options);
    }
  };
});
