// Input files for an ingest: a file, a directory (every data file below it) or a glob, and the
// DuckDB reader for each format. CSV is read with an explicit dialect and strict mode, so ragged
// rows and bad quoting are errors rather than guesses (only a delimiter not given is sniffed); when DuckDB's reader fails, a second,
// all-text pass finds the line at fault, so the message can name it.
//
// This module is the front of `sources/`, one file per concern:
// - `formats.ts`: the formats, and a file's format from its extension;
// - `discover.ts`: the files a source names (file, directory, glob);
// - `csv-options.ts`: CSV options and the dialect SQL they make;
// - `sniff-delimiter.ts`: a CSV file's delimiter when none is given (`;`, tab or `|` files);
// - `reader-sql.ts`: the DuckDB table function reading one input, per format;
// - `describe.ts`: an input's columns (JSON's nulls and ISO dates put right);
// - `input-error.ts`, `error-lines.ts`: a read failure as an error naming the file and line;
// - `file-bytes.ts`: a file's bytes as DuckDB reads them (prefix, blank, JSON without a BOM).
export { type CsvOptions, checkCsvOptions } from './sources/csv-options.js';
export { describeInput } from './sources/describe.js';
export { resolveSources } from './sources/discover.js';
export { jsonErrorLine, physicalLineOfRecord } from './sources/error-lines.js';
export { jsonWithoutBom } from './sources/file-bytes.js';
export { formatOf, INGEST_FORMATS, type IngestFormat } from './sources/formats.js';
export { essentialMessage, inputError } from './sources/input-error.js';
export { readerSql } from './sources/reader-sql.js';
export { withSniffedDelimiter } from './sources/sniff-delimiter.js';
