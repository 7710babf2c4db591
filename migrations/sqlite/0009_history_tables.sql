-- Every version of every record registered as a GeoPackage attribute table (the changesets
-- already are), so that GDAL, QGIS and any other GeoPackage reader list the history beside the
-- layers: a registry file is readable whole without diming.
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
  ('versions', 'attributes', '历史版本', '每条记录的全部版本：生效与登记时间、变更集、几何（GeoPackage 二进制）与属性（JSON）');
