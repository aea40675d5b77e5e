// The page's only way to the server: persisted GraphQL documents (by SHA-256, so the
// server may run with trusted documents only) and the public GeoJSON endpoints.
// Queries go as GET, which HTTP caches may keep (public answers carry an ETag);
// mutations as POST.

export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
  }
  get code() {
    return this.errors[0]?.extensions?.code;
  }
}

export async function graphql(document, variables, token) {
  const headers = { accept: "application/graphql-response+json, application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  if (document.kind === "query") {
    const params = new URLSearchParams({
      documentId: document.id,
      operationName: document.name,
      variables: JSON.stringify(variables ?? {}),
    });
    response = await fetch(`/graphql?${params}`, { headers });
  } else {
    headers["content-type"] = "application/json";
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ documentId: document.id, operationName: document.name, variables }),
    });
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError([{ message: `HTTP ${response.status}`, extensions: { code: "HTTP" } }]);
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/** A query whose every error is fatal to the caller. */
export async function query(document, variables, token) {
  const { data, errors } = await graphql(document, variables, token);
  if (errors.length > 0) throw new ApiError(errors);
  return data;
}

export async function geojson(path, params) {
  const url = params ? `${path}?${new URLSearchParams(params)}` : path;
  const response = await fetch(url, { headers: { accept: "application/geo+json" } });
  if (!response.ok) throw new ApiError([{ message: `${path}: HTTP ${response.status}` }]);
  return response.json();
}
