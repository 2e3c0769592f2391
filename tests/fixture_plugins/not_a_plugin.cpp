// A shared library that is not a Lightbox plugin: it exports a function, but not the entry point.
extern "C" __attribute__((visibility("default"))) int some_other_library_function(void) { return 42; }
