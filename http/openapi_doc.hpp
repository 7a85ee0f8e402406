// GET /api/openapi.json: the OpenAPI 3.1 description of the REST API, http/openapi.json as
// compiled into the executable. tests/integration/test_openapi.py checks every route's real
// answers, errors included, against it.
#pragma once

#include <string_view>

namespace ct::http {

std::string_view openapi_document();

}  // namespace ct::http
