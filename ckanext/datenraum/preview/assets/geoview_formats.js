/* Our DCAT-AP.de schema stores a distribution's format as its EU file-type code ("WMS_SRVC",
 * "WFS_SRVC"), which ckanext-geoview's OpenLayers viewer does not know: it picks its layer
 * loader by the lower-cased format. The codes are given the loaders of "wms" and "wfs" here,
 * after the viewer has registered them and before it starts (CKAN starts modules on DOM ready).
 */
(function (ckan) {
  var extractors = ckan.geoview && ckan.geoview.layerExtractors;
  if (!extractors) {
    return;
  }
  var aliases = { wms_srvc: "wms", wfs_srvc: "wfs", wmts_srvc: "wmts" };
  Object.keys(aliases).forEach(function (code) {
    if (!extractors[code] && extractors[aliases[code]]) {
      extractors[code] = extractors[aliases[code]];
    }
  });
})(this.ckan);
