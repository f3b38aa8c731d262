/// CloudNativePG `Subscription`s: one per multi-primary link, on the subscriber, from the
/// publisher named as an external cluster of the subscriber's `Cluster`. They replace
/// `multi-primary-subscriptions.sql`, which the kubernetes schema Job does not run.
///
/// Under Patroni the publisher's slot is a permanent slot made before the subscription; no
/// operator makes logical slots here, so the subscription creates its slot (`create_slot`), and
/// starts from that point without copying rows (`copy_data = false`, `origin = none`, as the
/// other targets).
enum SubscriptionManifest {
    /// The Subscriptions of a cluster.
    static func objects(_ cluster: PlanCluster, plan: Plan, namespace: String) -> [KubernetesObject] {
        plan.multiPrimaryGroups.flatMap { group in
            group.links.filter { $0.subscriber == cluster.name }.map { link in
                KubernetesObject(
                    apiVersion: KubernetesObject.cnpg, kind: "Subscription",
                    name: KubernetesNames.subscription(cluster: cluster.name, subscription: link.subscription), namespace: namespace,
                    body: [
                        (
                            "spec",
                            .mapping([
                                ("cluster", .mapping([("name", .string(cluster.name))])), ("name", .string(link.subscription)),
                                ("dbname", .string(group.database)), ("publicationName", .string(group.publication)),
                                ("externalClusterName", .string(link.publisher)),
                                (
                                    "parameters",
                                    .mapping([
                                        ("copy_data", .string("false")), ("create_slot", .string("true")),
                                        ("origin", .string("none")), ("slot_name", .string(link.slot)),
                                    ])
                                ),
                                ("subscriptionReclaimPolicy", .string("retain")),
                            ])
                        )
                    ])
            }
        }
    }
}
