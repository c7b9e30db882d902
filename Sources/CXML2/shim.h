// libxml2's pull reader (xmlTextReader): the sheets of an xlsx workbook are read node by node
// from the zip member as it inflates, never built into a tree.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, whose headers clash with the copy of ICU inside Swift's
// Foundation; the reader needs none of ICU's declarations.
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
