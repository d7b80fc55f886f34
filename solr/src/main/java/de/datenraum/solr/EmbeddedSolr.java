package de.datenraum.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Serves a real Solr over HTTP from a Solr home prepared by scripts/solr.sh.
 *
 * <p>Usage: {@code EmbeddedSolr SOLR_HOME PORT}. The home holds solr.xml, the config set
 * {@code configsets/ckan} and one folder per core with a core.properties; cores keep their
 * index under their own folder, so a restart loses nothing. Binds to 127.0.0.1 only.
 */
public final class EmbeddedSolr {

    private EmbeddedSolr() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedSolr SOLR_HOME PORT");
            System.exit(2);
        }
        Path home = Paths.get(args[0]).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("solr.xml"))) {
            System.err.println("no solr.xml in " + home);
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        System.setProperty("host", "127.0.0.1");
        System.setProperty("jetty.host", "127.0.0.1");
        System.setProperty("solr.solr.home", home.toString());

        JettyConfig config = JettyConfig.builder()
                .setPort(port)
                .setContext("/solr")
                .stopAtShutdown(true)
                .build();
        JettySolrRunner runner = new JettySolrRunner(home.toString(), new Properties(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.stop();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        runner.start();
        System.out.println("Solr " + org.apache.solr.core.SolrCore.version
                + " listening on " + runner.getBaseUrl());
        stopped.await();
    }
}
