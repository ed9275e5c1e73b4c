//! API Gateway: the stages of REST, HTTP and WebSocket APIs (access logging, tracing,
//! throttling) and the Lambda integrations behind them (which function, within which
//! timeout). Requests and payloads are never read.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{count, nullable, required_count, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiGatewaySection {
    #[serde(deserialize_with = "resources")]
    pub stages: Vec<ApiStage>,
    #[serde(deserialize_with = "resources")]
    pub integrations: Vec<ApiIntegration>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiStage {
    /// `arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>` (`/apis/` for HTTP
    /// and WebSocket APIs).
    pub arn: String,
    /// `<api name>/<stage>`.
    pub name: String,
    pub region: String,
    pub api_id: String,
    /// `REST`, `HTTP` or `WEBSOCKET`.
    pub api_type: String,
    /// Where access logs go; None: not logged.
    #[serde(deserialize_with = "nullable")]
    pub access_log_destination: Option<String>,
    /// X-Ray active tracing (REST APIs only; HTTP APIs cannot trace).
    pub tracing: bool,
    /// The stage-wide throttling (REST `*/*` method settings, HTTP default route
    /// settings); None: the account's limits only.
    #[serde(deserialize_with = "nullable")]
    pub throttling_rate_limit: Option<f64>,
    #[serde(deserialize_with = "count")]
    pub throttling_burst_limit: Option<i64>,
    /// The API's tags, overridden by the stage's own.
    pub tags: Tags,
}

/// A route or method whose backend is a Lambda function.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiIntegration {
    /// The API's ARN and the integration (`/resources/<id>/methods/<verb>` for REST,
    /// `/integrations/<id>` for HTTP).
    pub arn: String,
    pub region: String,
    pub api_id: String,
    pub api_name: String,
    pub api_type: String,
    /// The function, unqualified; its alias or version apart.
    pub function_arn: String,
    #[serde(deserialize_with = "nullable")]
    pub qualifier: Option<String>,
    /// How long API Gateway waits for the function (29 s by default for REST, 30 s
    /// for HTTP APIs).
    #[serde(deserialize_with = "required_count")]
    pub timeout_ms: i64,
}

impl ApiGatewaySection {
    pub fn append(&mut self, other: ApiGatewaySection) {
        self.stages.extend(other.stages);
        self.integrations.extend(other.integrations);
    }
}

impl Keyed for ApiStage {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for ApiIntegration {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for ApiGatewaySection {
    fn normalize(&mut self) {
        self.stages.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.integrations.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    fn clear(&mut self) {
        *self = ApiGatewaySection::default();
    }
}
