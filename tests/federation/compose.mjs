// Composes passerelle's subgraph SDL (`passerelle schema --federation`, the file given)
// with a small second subgraph that extends passerelle's entities by their keys, as
// another platform's supergraph would; exits 1 with the composition errors, if any.
import { readFileSync } from "node:fs";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node compose.mjs SUBGRAPH.graphql");
  process.exit(2);
}

const partner = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Service @key(fields: "id") { id: ID! waitingTimeDays: Int }
  type Organisation @key(fields: "kbo") { kbo: String averageRating: Float }
  type Territory @key(fields: "code") { code: String! helpdeskPhone: String }
  type Query { partnerStatus: String }
`;

const result = composeServices([
  { name: "passerelle", url: "http://passerelle/graphql", typeDefs: parse(readFileSync(file, "utf8")) },
  { name: "partner", url: "http://partner/graphql", typeDefs: parse(partner) },
]);
if (result.errors && result.errors.length > 0) {
  for (const error of result.errors) console.error(`composition: ${error.message}`);
  process.exit(1);
}
const supergraph = result.supergraphSdl;
for (const expected of ["waitingTimeDays", "averageRating", "helpdeskPhone", "services("]) {
  if (!supergraph.includes(expected)) {
    console.error(`composition: the supergraph lacks ${expected}`);
    process.exit(1);
  }
}
console.log(`composition: passerelle and a partner subgraph compose (${supergraph.length} bytes of supergraph)`);
