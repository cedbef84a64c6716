// Starts an embedded Neo4j Community DBMS with only the Bolt connector, for tests and local use.
//
// Run without a compile step (single-file source launcher, Java 17+):
//   java --add-opens=... -Dtipgraph.pagecache=256m -cp 'LIB/*' Launcher.java DATA_DIR PORT
//
// System properties (set by graph_model/neo4j_server/process.py):
//   tipgraph.pagecache  page cache size, e.g. "256m" (default 128m)
//   tipgraph.password   when non-empty: auth on, and the user "neo4j" gets this password
// A file DATA_DIR/neo4j.conf, when present, is loaded first for any further setting.
// The DBMS shuts down cleanly on SIGTERM (JVM shutdown hook).

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher DATA_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String pagecache = System.getProperty("tipgraph.pagecache", "128m");
        String password = System.getProperty("tipgraph.password", "");
        boolean auth = !password.isEmpty();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        Path conf = home.resolve("neo4j.conf");
        if (Files.exists(conf)) {
            builder.loadPropertiesFromFile(conf);
        }
        builder.setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                // A test and workstation server: few transaction logs, not preallocated (256 MB each).
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Bolt waits 5 s + 5 s for idle pools on shutdown by default; a stop should be quick.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1));

        long started = System.nanoTime();
        DatabaseManagementService dbms = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("tipgraph-neo4j: shutting down");
            dbms.shutdown();
            System.out.println("tipgraph-neo4j: stopped");
        }));
        if (auth) {
            // Embedded transactions are not subject to auth, so the password can be set here.
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("tipgraph-neo4j: ready on bolt://127.0.0.1:" + port + " in " + millis + " ms");
        System.out.flush();
        Thread.currentThread().join();
    }
}
