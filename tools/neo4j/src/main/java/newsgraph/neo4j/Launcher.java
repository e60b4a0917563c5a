package newsgraph.neo4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.server.CommunityBootstrapper;
import picocli.CommandLine;

/**
 * Starts a Neo4j 5 Community server for one test run or one local session, and blocks until it
 * is told to stop (SIGTERM/SIGINT) or until the process it watches has exited.
 *
 * <p>The server is the one {@code neo4j console} runs ({@link CommunityBootstrapper}), on a
 * fresh home directory with its own neo4j.conf: Bolt only, on 127.0.0.1 at a port the kernel
 * picks (listen address port 0), so it never collides with another server and a port from an
 * earlier run is never reused. With authentication on, the password is set with the same
 * command as {@code neo4j-admin dbms set-initial-password} before the server starts, so the
 * default credentials never exist. It is read from the environment variable
 * NEWSGRAPH_NEO4J_PASSWORD, never from the command line (which any user can read).
 *
 * <p>Once Bolt is accepting connections, the launcher writes a small ready file (atomically,
 * by rename) with the bound port, its pid and the token it was given, so the caller can tell
 * this start's answer from a leftover one.
 *
 * <p>With --watch-pid the server stops when that process exits (a test run killed with
 * SIGKILL leaves no server behind) and deletes the --cleanup directories its caller would have.
 *
 * <p>A home whose system database exists already is started on its data as it is (a restart
 * after the server was killed: Neo4j recovers from its transaction logs), without setting the
 * password again; --port asks for the port it had. With --admin the rest of the arguments are
 * a {@code neo4j-admin} command ({@code database import full …}) run in this process against
 * the home's configuration, with no server started: the same classes neo4j-admin runs.
 *
 * <pre>
 * java -cp CLASSPATH newsgraph.neo4j.Launcher --home DIR --ready FILE --token T
 *      [--no-auth] [--port N] [--watch-pid PID [--cleanup DIR]...] [--pagecache 64m]
 * java -cp CLASSPATH newsgraph.neo4j.Launcher --home DIR [--no-auth] --admin database import full …
 * </pre>
 */
public final class Launcher {
    private static final String PASSWORD_ENV = "NEWSGRAPH_NEO4J_PASSWORD";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path ready = null;
        String token = null;
        boolean auth = true;
        long watchPid = -1;
        List<Path> cleanup = new ArrayList<>();
        String pagecache = "64m";
        int port = 0;
        List<String> admin = null;
        for (int i = 0; i < args.length && admin == null; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]).toAbsolutePath();
                case "--ready" -> ready = Path.of(args[++i]).toAbsolutePath();
                case "--token" -> token = args[++i];
                case "--no-auth" -> auth = false;
                case "--watch-pid" -> watchPid = Long.parseLong(args[++i]);
                case "--cleanup" -> cleanup.add(Path.of(args[++i]).toAbsolutePath());
                case "--pagecache" -> pagecache = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--admin" -> admin = List.of(args).subList(i + 1, args.length);
                default -> fail("unknown argument " + args[i]);
            }
        }
        if (admin != null && home != null) {
            Path conf = writeConfig(home, auth, pagecache, port);
            ExecutionContext context = new ExecutionContext(home, conf.getParent());
            System.exit(org.neo4j.cli.AdminTool.execute(context, admin.toArray(new String[0])));
        }
        if (home == null || ready == null || token == null) {
            fail("usage: Launcher --home DIR --ready FILE --token T [--no-auth] [--port N] [--watch-pid PID]");
        }
        String password = System.getenv(PASSWORD_ENV);
        boolean initialised = Files.isDirectory(home.resolve("data").resolve("databases").resolve("system"));
        if (auth && !initialised && (password == null || password.length() < 8)) {
            fail(PASSWORD_ENV + " must hold a password of at least 8 characters (or pass --no-auth)");
        }

        Path conf = writeConfig(home, auth, pagecache, port);
        if (auth && !initialised) {
            setInitialPassword(home, conf.getParent(), password);
        }

        // The bootstrapper installs its own shutdown hook, which stops the server cleanly on
        // SIGTERM/SIGINT and on System.exit; this thread only has to stay alive until then.
        CommunityBootstrapper server = new CommunityBootstrapper();
        int status = server.start(home, conf, Map.of(), false, false);
        if (status != 0) {
            fail("Neo4j did not start (status " + status + "); see " + home.resolve("logs"));
        }
        int bound = boltPort(server);
        writeReady(ready, token, bound);
        System.out.println("newsgraph-neo4j: Bolt on 127.0.0.1:" + bound + " (auth " + (auth ? "on" : "off") + ")");

        if (watchPid > 0) {
            long watched = watchPid;
            Runnable orphaned = () -> {
                System.out.println("newsgraph-neo4j: process " + watched + " is gone, stopping");
                server.stop();
                cleanup.forEach(Launcher::deleteTree);
                System.exit(0);
            };
            ProcessHandle.of(watched).ifPresentOrElse(parent -> parent.onExit().thenRun(orphaned), orphaned);
        }
        new CountDownLatch(1).await();
    }

    private static Path writeConfig(Path home, boolean auth, String pagecache, int port) throws IOException {
        Path confDir = Files.createDirectories(home.resolve("conf"));
        List<String> lines = new ArrayList<>(List.of(
            "# Written by tools/neo4j Launcher at each start; the directory is deleted when it stops.",
            "server.directories.data=" + home.resolve("data"),
            "server.directories.logs=" + home.resolve("logs"),
            "server.directories.run=" + home.resolve("run"),
            "server.directories.import=" + home.resolve("import"),
            "server.directories.plugins=" + home.resolve("plugins"),
            "server.default_listen_address=127.0.0.1",
            "server.bolt.enabled=true",
            "server.bolt.listen_address=127.0.0.1:" + port,
            "server.bolt.tls_level=DISABLED",
            "server.http.enabled=false",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=" + auth,
            "server.memory.pagecache.size=" + pagecache,
            "dbms.usage_report.enabled=false",
            // A throwaway server: no 2 x 5 s of netty quiet period when it stops.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
            "internal.dbms.bolt.netty_server_shutdown_timeout=2"));
        Path conf = confDir.resolve("neo4j.conf");
        Files.write(conf, lines, StandardCharsets.UTF_8);
        return conf;
    }

    /** What {@code neo4j-admin dbms set-initial-password} does, in this process. */
    private static void setInitialPassword(Path home, Path confDir, String password) {
        PrintStream out = System.out;
        ExecutionContext context = new ExecutionContext(home, confDir, out, System.err,
            new org.neo4j.io.fs.DefaultFileSystemAbstraction());
        int status = new CommandLine(new SetInitialPasswordCommand(context)).execute("--", password); // "--": a password may start with -
        if (status != 0) {
            fail("setting the initial password failed (status " + status + ")");
        }
    }

    private static int boltPort(CommunityBootstrapper server) {
        GraphDatabaseAPI system = (GraphDatabaseAPI) server.getDatabaseManagementService().database("system");
        HostnamePort address = system.getDependencyResolver()
            .resolveDependency(ConnectorPortRegister.class)
            .getLocalAddress(ConnectorType.BOLT);
        if (address == null || address.getPort() <= 0) {
            fail("Neo4j started but reports no Bolt address");
        }
        return address.getPort();
    }

    private static void writeReady(Path ready, String token, int port) throws IOException {
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        String text = "token=" + token + "\nport=" + port + "\npid=" + ProcessHandle.current().pid() + "\n";
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the caller would have deleted, had it not died first. */
    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("newsgraph-neo4j: could not delete " + root + ": " + e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println("newsgraph-neo4j: " + message);
        System.exit(2);
    }
}
