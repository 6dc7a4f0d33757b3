#include <libxml/xmlversion.h>
/* libxml2's encoding.h would include the system ICU headers, whose types clash with the ICU module that
   Swift's Foundation ships ("UErrorCode has different definitions"). ovconvert never touches the
   ICU-dependent fields of xmlCharEncodingHandler, so keep ICU out of this module. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>
