# GoogleTest binaries run inside lit, so check-edge covers everything.
import lit.formats
config.name = "edge-aotc-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.unit_test_dir
config.test_exec_root = config.unit_test_dir
