// Starts GraphiQL against the endpoint named by this script's `data-endpoint`.
(function () {
  "use strict";
  var endpoint = document.currentScript.dataset.endpoint;
  var url = new URL(endpoint, window.location.origin).toString();
  var defaultQuery =
    "# passerelle: the first-line social and health services of Brussels.\n" +
    "# Ctrl-Enter runs the query; the Docs button lists every type.\n" +
    "{\n" +
    "  services(first: 5, filter: { text: \"maison medicale\" }) {\n" +
    "    totalCount\n" +
    "    edges { node { name organisation { name } sites { address } } }\n" +
    "  }\n" +
    "}\n";
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: url }),
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: true,
    })
  );
})();
