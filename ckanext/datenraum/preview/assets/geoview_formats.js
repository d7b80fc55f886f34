/* Amendments to ckanext-geoview's OpenLayers viewer, after it has registered its layer loaders
 * and before it starts (CKAN starts modules on DOM ready):
 *
 * 1. A WMS map asks for its images through our service proxy, like its capabilities. geoview
 *    sends GetMap straight to the stored URL ("no need for a proxy for image requests"), which
 *    makes every visitor's browser contact the partner's server (decision 0418).
 * 2. A WMS layer is asked for in a projection its capabilities offer. geoview always asks in
 *    the map's projection (EPSG:3857, of the base tile), which a server that does not offer it
 *    refuses; then the layer is requested in EPSG:4326 (or another offered projection the map
 *    knows, ETRS89/UTM and Gauß-Krüger by projections.js) and OpenLayers reprojects the
 *    images (decisions 0418, 0420).
 * 3. A WFS layer's GML 2 features are read. For a WFS in EPSG:4326 geoview's helpers replace
 *    the GML 2 reader's geometry parser with one written for the OpenLayers debug build: it
 *    calls `this.GEOMETRY_PARSERS_` and `ol.format.Feature.transformWithOptions`, which the
 *    vendored build names `GEOMETRY_PARSERS` and `transformGeometryWithOptions`, so reading
 *    failed and the layer stayed empty. The two names are given to the build (decision 0418).
 * 4. Our DCAT-AP.de schema stores a distribution's format as its EU file-type code
 *    ("WMS_SRVC", "WFS_SRVC"), which the viewer does not know: it picks its loader by the
 *    lower-cased format. The codes get the loaders of "wms", "wfs" and "wmts" (decision 0417).
 */
(function (ckan, ol) {
  var extractors = ckan.geoview && ckan.geoview.layerExtractors;
  if (!extractors) {
    return;
  }

  /* The projection to ask a WMS layer in: the map's if offered (or not known), else an offered
   * one the map can reproject from, EPSG:4326 first, then the first offered of the German and
   * European CRSs that projections.js defines (decision 0420). */
  function requestProjection(offered, mapProjection) {
    var known = offered
      .map(function (code) {
        return ol.proj.get(String(code).trim().toUpperCase());
      })
      .filter(Boolean);
    if (!offered.length || known.some(function (p) { return ol.proj.equivalent(p, mapProjection); })) {
      return null;
    }
    var wgs84 = ol.proj.get("EPSG:4326");
    var preferred = known.filter(function (p) { return ol.proj.equivalent(p, wgs84); });
    return (preferred[0] || known[0] || null);
  }

  function inOfferedProjection(layer, map) {
    var source = layer.getSource();
    var layerDescription = source.get("mlDescr") || {};
    var offered = layerDescription.CRS || layerDescription.SRS || [];
    var projection = requestProjection(offered, map.getView().getProjection());
    if (!projection) {
      return;
    }
    var reprojected = new ol.source.TileWMS({
      url: source.getUrls()[0],
      params: source.getParams(),
      projection: projection,
    });
    reprojected.setProperties(source.getProperties());
    reprojected.getFullExtent = source.getFullExtent;
    layer.setSource(reprojected);
  }

  var featureFormat = ol.format.Feature;
  if (!featureFormat.transformWithOptions && featureFormat.transformGeometryWithOptions) {
    featureFormat.transformWithOptions = featureFormat.transformGeometryWithOptions;
  }
  if (!("GEOMETRY_PARSERS_" in ol.format.GML2.prototype)) {
    Object.defineProperty(ol.format.GML2.prototype, "GEOMETRY_PARSERS_", {
      get: function () {
        return this.GEOMETRY_PARSERS;
      },
    });
  }

  if (extractors.wms) {
    extractors.wms = function (resource, proxyUrl, proxyServiceUrl, layerProcessor, map) {
      var parts = resource.url.split("#");
      var serviceUrl = proxyServiceUrl || parts[0];
      var layerName = parts.length > 1 && parts[1];
      var addLayer = function (layer) {
        inOfferedProjection(layer, map);
        layerProcessor(layer);
      };
      // capabilities and map images from the same (proxied) address; tiled, as geoview does
      window.OL_HELPERS.withWMSLayers(serviceUrl, serviceUrl, addLayer, layerName, true, map);
    };
  }

  var aliases = { wms_srvc: "wms", wfs_srvc: "wfs", wmts_srvc: "wmts" };
  Object.keys(aliases).forEach(function (code) {
    if (!extractors[code] && extractors[aliases[code]]) {
      extractors[code] = extractors[aliases[code]];
    }
  });
})(this.ckan, this.ol);
