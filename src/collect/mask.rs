//! Masking subscription endpoints: the snapshot proves a human is subscribed
//! without holding their address, phone number or webhook token.

/// `alice@example.com` -> `a***@example.com`; `https://hooks.example.com/T0/B1/secret`
/// -> `https://hooks.example.com/***`; `+33612345678` -> `***78`; ARNs (SQS, Lambda) are kept.
pub fn mask_endpoint(protocol: &str, endpoint: &str) -> String {
    match protocol {
        "email" | "email-json" => match endpoint.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".to_string(),
        },
        "http" | "https" => match endpoint.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
                // Credentials in the authority (user:pass@host) go too.
                let host = host.rsplit('@').next().unwrap_or_default();
                format!("{scheme}://{host}/***")
            }
            None => "***".to_string(),
        },
        "sms" => {
            let digits: Vec<char> = endpoint.chars().filter(|c| c.is_ascii_digit()).collect();
            let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
            format!("***{tail}")
        }
        _ if endpoint.starts_with("arn:") => endpoint.to_string(),
        _ => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_endpoint;

    #[test]
    fn personal_endpoints_are_masked() {
        assert_eq!(mask_endpoint("email", "alice.martin@example.com"), "a***@example.com");
        assert_eq!(mask_endpoint("email-json", "bob@corp.example"), "b***@corp.example");
        assert_eq!(mask_endpoint("email", "not-an-address"), "***");
        assert_eq!(
            mask_endpoint("https", "https://user:pw@hooks.example.com/T0/B1/tok?x=1"),
            "https://hooks.example.com/***"
        );
        assert_eq!(mask_endpoint("sms", "+33 6 12 34 56 78"), "***78");
        assert_eq!(mask_endpoint("sqs", "arn:aws:sqs:eu-west-3:1:q"), "arn:aws:sqs:eu-west-3:1:q");
        assert_eq!(mask_endpoint("application", "some-device-token"), "***");
    }
}
