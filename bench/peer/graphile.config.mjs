// PostGraphile 5 peer for the passerelle benchmark (scenario b).
// Serves the `public` schema of the database in DATABASE_URL at POST /graphql.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  throw new Error("DATABASE_URL must be set (e.g. postgres://postgres@127.0.0.1:5432/passerelle)");
}

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ["public"],
      // No LISTEN/NOTIFY client: no watch mode, no subscriptions.
      pubsub: false,
      // Same pool size as passerelle's default (database.max_connections = 10).
      poolConfig: { max: Number(process.env.PG_POOL_MAX ?? 10) },
    }),
  ],
  schema: {
    // Filters across foreign keys (service -> service_at_site -> site -> ...).
    connectionFilterRelations: true,
  },
  grafserv: {
    host: process.env.HOST ?? "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    graphqlPath: "/graphql",
    graphiql: false,
    watch: false,
    websockets: false,
  },
  grafast: {
    // Never plan/SQL explain output in responses.
    explain: false,
  },
};

export default preset;
