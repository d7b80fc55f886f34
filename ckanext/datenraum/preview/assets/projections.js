/* The coordinate reference systems of German and European (INSPIRE) map services, for
 * ckanext-geoview's OpenLayers viewer (decision 0420).
 *
 * OpenLayers knows only EPSG:4326 and EPSG:3857 by itself; ckanext-geoview vendors proj4.js but
 * never registers it with OpenLayers. A layer offered only in ETRS89/UTM or Gauß-Krüger then
 * cannot be reprojected onto the map, and for such a WFS geoview's helpers ask epsg.io for the
 * definition: a third-party request from the visitor's browser. The definitions below (EPSG
 * registry, as proj4 strings; `+axis=neu` where EPSG's axis order is northing first, as
 * WMS 1.3.0 and GML use it) are given to proj4 and proj4 to OpenLayers before the viewer
 * starts. One table; add a code here when a partner needs it. OpenLayers takes `+axis` as the
 * projection's axis orientation (a WMS 1.3.0 BBOX northing first) and keeps its coordinates
 * east first (its proj4 transforms do not swap axes); the Chromium test compares the extents
 * it computes with MapServer's recorded ones.
 */
(function (proj4, ol) {
  if (!proj4 || !ol || !ol.proj || !ol.proj.proj4) {
    return;
  }
  var GRS80 = "+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";
  var DHDN = "+ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs";
  var DEFINITIONS = {
    // ETRS89 geographic, the CRS every INSPIRE view service must offer (latitude first)
    "EPSG:4258": "+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +axis=neu +no_defs",
    // ETRS89 / UTM zones 32N and 33N: the Länder's ALKIS, ATKIS and most municipal services
    "EPSG:25832": "+proj=utm +zone=32 " + GRS80,
    "EPSG:25833": "+proj=utm +zone=33 " + GRS80,
    // ETRS89 / UTM with the zone number in front of the easting (Brandenburg, BKG)
    "EPSG:4647": "+proj=tmerc +lat_0=0 +lon_0=9 +k=0.9996 +x_0=32500000 +y_0=0 " + GRS80,
    "EPSG:5650": "+proj=tmerc +lat_0=0 +lon_0=15 +k=0.9996 +x_0=33500000 +y_0=0 " + GRS80,
    // ETRS89 / ETRS-TM32 and TM33 (INSPIRE's transverse Mercator, northing first)
    "EPSG:3044": "+proj=utm +zone=32 +axis=neu " + GRS80,
    "EPSG:3045": "+proj=utm +zone=33 +axis=neu " + GRS80,
    // DHDN / Gauß-Krüger zones 2 to 5, still used by older services (northing first)
    "EPSG:31466": "+proj=tmerc +lat_0=0 +lon_0=6 +k=1 +x_0=2500000 +y_0=0 +axis=neu " + DHDN,
    "EPSG:31467": "+proj=tmerc +lat_0=0 +lon_0=9 +k=1 +x_0=3500000 +y_0=0 +axis=neu " + DHDN,
    "EPSG:31468": "+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=4500000 +y_0=0 +axis=neu " + DHDN,
    "EPSG:31469": "+proj=tmerc +lat_0=0 +lon_0=15 +k=1 +x_0=5500000 +y_0=0 +axis=neu " + DHDN,
  };
  Object.keys(DEFINITIONS).forEach(function (code) {
    if (!proj4.defs(code)) {
      proj4.defs(code, DEFINITIONS[code]);
    }
  });
  ol.proj.proj4.register(proj4);
})(this.proj4, this.ol);
