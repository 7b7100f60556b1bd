// The development explorer: GraphiQL on this server's /graphql, every file served locally.
(function () {
  "use strict";
  var url = window.location.href.split("?")[0].split("#")[0];
  var fetcher = GraphiQL.createFetcher({ url: url });
  var example =
    "# GraphiQL, served by Jinlin itself (no CDN).\n" +
    "# Add your bearer token under Headers: {\"Authorization\": \"Bearer jl_...\"}\n" +
    "{\n  me {\n    person { name }\n    roles { role source }\n  }\n}\n";
  ReactDOM.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: example,
      defaultEditorToolsVisibility: true,
      headerEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
    document.getElementById("graphiql")
  );
})();
