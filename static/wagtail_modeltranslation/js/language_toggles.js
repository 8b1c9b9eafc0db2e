/* wagtail-modeltranslation's "View / edit fields for" toggles, with two changes
   (editorial.edit_languages):
   - the screen opens with the languages this editor chose, or their admin language, read
     from the "w-edit-languages" JSON the edit form carries; other screens keep the package's
     default;
   - each click stores the editor's choice on the server (not in this browser's storage), and
     a toggle says whether it is on (aria-pressed).
   The rest is theirs, unchanged. */
///////////////
jQuery( () => {
///////////////

const tabbedContent = $(`form .tab-content, form .nice-padding`);
const topLevel = (tabbedContent.length > 0) ? tabbedContent.first() : $(`.content form[data-edit-form]`);
const languageCodeRegex = new RegExp(' \\[('+wagtailModelTranslations.languages.join('|')+')\\]');
const editLanguagesData = document.getElementById('w-edit-languages');
const editLanguages = editLanguagesData ? JSON.parse(editLanguagesData.textContent) : null;

if (topLevel.length === 0) {
  // obviously, if we don't have an element to attach
  // the picker to, we might as well stop right now.
  return;
}

if (topLevel.attr(`class`) && topLevel.attr(`class`).indexOf(`search`) > -1) {
  // if the only forms on the page are search forms,
  // we're not actually dealing with page/snippets
  return;
}

function filterForLocale(index, element) {
  var tc = element.textContent;
  var res = languageCodeRegex.exec(tc);
  if (res === null) return;

  var code = res[0],
      locale = code.replace(/[ \[\]]/g,'');

  if (wagtailModelTranslations.languages.indexOf(locale) === -1) return;

  if (!localisedElements[locale]) {
    localisedElements[locale] = [];
  }

  var bin = localisedElements[locale];
  if (bin.indexOf(element) === -1) {
    bin.push(element);
    element.classList.add(`l10n-hidden`);
    element.classList.remove(...columnCSS);
  }
}

function buildSets(topElement) {
  $(`section.w-panel:not(#panel-child-content-panel-section), div.w-panel__wrapper`, topElement).each( filterForLocale );
  document.dispatchEvent(new CustomEvent('wagtail-modeltranslation:buildSets:done'));
}

/**
 * Gets all selected locales as array of strings
 */
function getSelectedLocales() {
  var selectedLocales = [];
  $('.showing-locale').each(function() {
    selectedLocales.push(this.dataset.locale);
  });
  return selectedLocales;
}

/**
 * Stores the languages shown now as this editor's choice.
 */
function storeSelectedLocales() {
  if (!editLanguages) return;
  const config = JSON.parse(document.getElementById('wagtail-config').textContent);
  const body = new URLSearchParams();
  getSelectedLocales().forEach(locale => body.append('languages', locale));
  fetch(editLanguages.url, {
    method: 'POST',
    headers: {[config.CSRF_HEADER_NAME]: config.CSRF_TOKEN},
    body: body,
    credentials: 'same-origin',
  });
}

$('a[id^=id_][id$=-ADD], button[id^=id_][id$=-ADD]').click(e => {
  e.preventDefault();
  ulForms = $(e.currentTarget).parent().siblings('ul.multiple')[0];
  buildSets(ulForms);
  selectedLocales = getSelectedLocales();
  selectedLocales.forEach( locale => {
    toggleLocale(locale, true);
  });
});

function setPressed(toggle, state) {
  toggle.classList.toggle(`showing-locale`, state);
  toggle.setAttribute(`aria-pressed`, state ? `true` : `false`);
}

function buildLocaleToggler() {
  var bar = $(`<div class="locale-picker w-form-width"><h2>${wagtailModelTranslations.viewEditString}</h2></div>`);
  var ul = $(`<ul class="locales"></ul>`);
  bar.append(ul);

  var toggles = {};
  wagtailModelTranslations.languages.forEach( locale => {
    var li = $(`<li class="locale"><button type="button" class="locale-toggle" aria-pressed="false" lang="${locale}" data-locale="${locale}">${locale}</button></li>`);
    ul.append(li);

    $(`button.locale-toggle`, li).each( (index, toggle) => {
      toggle.addEventListener(`click`, e => {
        e.preventDefault();
        setPressed(toggle, !toggle.classList.contains(`showing-locale`));
        toggleLocale(locale, toggle.classList.contains(`showing-locale`));
        storeSelectedLocales();
      });

      toggles[locale] = toggle;
    });
  });

  bar.prependTo(topLevel);

  return toggles;
}

function toggleLocale(locale, state) {
  var action = state ? `remove` : `add`;

  (localisedElements[locale] || []).forEach(element => {
    element.classList[action](`l10n-hidden`);
  });
}

var localisedElements = {};
var columnCSS = [`field-col`];
for (var i=1; i<=12; i++) { columnCSS.push(`col${i}`); }

buildSets(topLevel);

var locales = Object.keys(localisedElements).sort();

if (locales.length === 0) return;

var localeToggler = buildLocaleToggler();

let initially_loaded_locale = editLanguages ? editLanguages.shown : wagtailModelTranslations.locale_picker_default;

for (const language of initially_loaded_locale) {
  if (!localeToggler[language]) continue;
  setPressed(localeToggler[language], true);
  toggleLocale(language, true);
}

///////////////
});
///////////////
