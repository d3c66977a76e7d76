// Readiness probe used by start.sh, run with the JDK source launcher:
//
//   java -cp '<broker jars>/*' scripts/kafka/KafkaReady.java HOST:PORT TIMEOUT_SECONDS
//
// Exits 0 once the broker answers a DescribeCluster request through Kafka's
// own AdminClient and reports at least one (unfenced) broker, 1 on timeout.
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

public class KafkaReady {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: KafkaReady HOST:PORT TIMEOUT_SECONDS");
      System.exit(2);
    }
    String bootstrap = args[0];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "journeyline-kafka-ready");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "200");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "200");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");

    String last = "no answer";
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        try {
          DescribeClusterResult r = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000));
          Collection<Node> nodes = r.nodes().get(6, TimeUnit.SECONDS);
          String clusterId = r.clusterId().get(6, TimeUnit.SECONDS);
          if (!nodes.isEmpty()) {
            System.out.println("cluster " + clusterId + " ready, brokers: " + nodes);
            return;
          }
          last = "cluster " + clusterId + " has no registered broker yet";
        } catch (Exception e) {
          Throwable c = e.getCause() != null ? e.getCause() : e;
          last = c.getClass().getSimpleName() + ": " + c.getMessage();
        }
        Thread.sleep(300);
      }
    }
    System.err.println("Kafka at " + bootstrap + " not ready: " + last);
    System.exit(1);
  }
}
