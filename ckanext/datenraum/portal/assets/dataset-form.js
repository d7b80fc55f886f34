/* Dataset form of the portal (templates/scheming/package/snippets/package_form.html).
 *
 * datenraum-dataset-form   on the fields' wrapper: publisher "Add" shown only while no
 *                          publisher group is shown; buttons with data-datenraum-confirm ask
 *                          first; a section holding the field named in the URL (#field-x) opens;
 *                          select2's search fields get a translated label (option searchLabel).
 * datenraum-slug-target    on the title: proposes the URL name from the server
 *                          (action datenraum_name_from_title, python-slugify, German spelling).
 * datenraum-region-picker  on a multiple select: searches states, districts and municipalities
 *                          (action datenraum_region_search) with CKAN's select2.
 */
this.ckan.module('datenraum-dataset-form', function ($) {
  return {
    options: { searchLabel: 'Search' },

    initialize: function () {
      $.proxyAll(this, /_on/);
      this.form = this.el.closest('form');
      // select2 labels its search fields "Search" in English and renders them anew on changes.
      this.el.on('change select2:open select2:select select2:unselect', this._onLabelSearchFields);
      window.setTimeout(this._onLabelSearchFields, 0);
      this.form.on('click', '[data-datenraum-confirm]', this._onConfirm);
      this.el.on('click', 'a[name="repeating-add"], a[name="repeating-remove"]', this._onGroupsChanged);
      // after scheming's module (inside this element) has removed its group template
      window.setTimeout(this._updateRepeatingOnce, 0);
      this._openSectionOf(window.location.hash);
    },

    _onLabelSearchFields: function () {
      var label = this.options.searchLabel;
      window.setTimeout(function () {
        $('.select2-search__field').attr('aria-label', label);
      }, 0);
    },

    _onConfirm: function (event) {
      var question = $(event.currentTarget).data('datenraum-confirm');
      if (!window.confirm(question)) {
        event.preventDefault();
      }
    },

    _onGroupsChanged: function () {
      // scheming's module adds or hides groups with a short animation.
      window.setTimeout(this._updateRepeatingOnce, 250);
    },

    _updateRepeatingOnce: function () {
      this.el.find('.datenraum-repeating-once-add').each(function () {
        var fieldset = $(this).closest('fieldset');
        var shown = fieldset.find('.scheming-repeating-subfields-group .fields-content').filter(function () {
          return $(this).children().length > 0 && $(this).css('display') !== 'none';
        });
        $(this).css('display', shown.length === 0 ? '' : 'none');
      });
    },

    _openSectionOf: function (hash) {
      if (!hash || hash.length < 2) { return; }
      var target = document.getElementById(hash.slice(1));
      var section = target && $(target).closest('details');
      if (section && section.length) {
        section.prop('open', true);
        target.scrollIntoView();
      }
    }
  };
});

this.ckan.module('datenraum-slug-target', function ($) {
  return {
    options: { delay: 250 },

    initialize: function () {
      $.proxyAll(this, /_on/);
      var sandbox = this.sandbox;
      var el = this.el;
      sandbox.subscribe('slug-preview-created', function (preview) { el.after(preview); });
      if (el.val() !== '') { return; }  // an existing dataset keeps its name
      this.watching = true;
      sandbox.subscribe('slug-preview-modified', this._onModified);
      el.on('input.datenraum-slug', this._onInput);
    },

    _onModified: function () {
      this.watching = false;
      this.el.off('.datenraum-slug');
    },

    _onInput: function () {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(this._onAsk, this.options.delay);
    },

    _onAsk: function () {
      var module = this;
      var title = this.el.val();
      $.getJSON(this.sandbox.client.url('/api/3/action/datenraum_name_from_title'), { title: title })
        .done(function (answer) {
          if (module.watching && module.el.val() === title) {
            module.sandbox.publish('slug-target-changed', answer.result.name);
          }
        });
    }
  };
});

this.ckan.module('datenraum-region-picker', function ($) {
  return {
    options: {
      source: null,
      noResults: 'No matches found',
      searching: 'Searching…',
      inputTooShort: 'Please type at least one letter or digit'
    },

    initialize: function () {
      var options = this.options;
      this.el.select2({
        width: '100%',
        tags: true,
        placeholder: this.el.attr('placeholder'),
        minimumInputLength: 1,
        createTag: function (params) {
          var term = $.trim(params.term);
          // Besides the directory, a full URI may be given.
          return /^https?:\/\/\S+$/.test(term) ? { id: term, text: term } : null;
        },
        ajax: {
          url: options.source,
          dataType: 'json',
          delay: 250,
          data: function (params) { return { q: params.term }; },
          processResults: function (answer) { return { results: answer.result }; }
        },
        language: {
          noResults: function () { return options.noResults; },
          searching: function () { return options.searching; },
          inputTooShort: function () { return options.inputTooShort; }
        }
      });
    }
  };
});
