//! Integration tests: one binary, one module per capability. Every store test runs against
//! both stores (SQLite and PostgreSQL/PostGIS) through [`support::both_stores`].

mod support;

mod abuse;
mod accounts;
mod api;
mod architecture;
mod backup;
mod boundaries;
mod browser;
mod cdp;
mod cemetery;
mod cli;
mod concurrency;
mod corrections;
mod crash;
mod crawl;
mod demo;
mod diskfull;
mod editor;
mod files;
mod forms;
mod fuzzed;
mod gazetteer;
mod guide;
mod index;
mod maps;
mod names;
mod names_corpus;
mod numbering;
mod ogc;
mod openapi;
mod registers;
mod security;
mod signs;
mod store;
mod tiles;
mod validation;
mod web;
mod workplace;
